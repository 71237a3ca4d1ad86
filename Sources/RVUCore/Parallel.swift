import Synchronization

/// Hands out the indices `0..<count` one at a time to workers on several threads, each index
/// once, in order: the workers of `DispatchQueue.concurrentPerform` take tasks from one list.
package final class TaskCounter: Sendable {
    private let next = Mutex(0)
    private let count: Int

    package init(count: Int) { self.count = count }

    /// The next index not yet taken, or nil when all have been.
    package func take() -> Int? {
        let index = next.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        return index < count ? index : nil
    }
}
