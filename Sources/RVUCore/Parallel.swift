import Dispatch
import Foundation
import Synchronization

/// Runs `background` on another thread while `foreground` runs on this one, and returns both
/// results once both have finished (also when `foreground` throws).
public func runInParallel<Background: Sendable, Foreground>(
    _ background: @escaping @Sendable () -> Background, _ foreground: () throws -> Foreground
) rethrows -> (Background, Foreground) {
    let slot = ParallelSlot<Background>()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { slot.value = background() }
    let foregroundResult: Foreground
    do {
        foregroundResult = try foreground()
    } catch {
        group.wait()
        throw error
    }
    group.wait()
    guard let backgroundResult = slot.value else { preconditionFailure("the background work finished without a result") }
    return (backgroundResult, foregroundResult)
}

/// A result written by one thread and read by another after `DispatchGroup.wait()`, which orders
/// the write before the read.
private final class ParallelSlot<Value>: @unchecked Sendable {
    var value: Value?
}

/// One value handed from one thread to another that waits for it; the giver can cancel instead.
package final class Handoff<Value: Sendable>: @unchecked Sendable {
    // `value` and `done` are read and written only with `condition` locked.
    private let condition = NSCondition()
    private var value: Value?
    private var done = false

    package init() {}

    /// Hands the value over and wakes the taker.
    package func put(_ value: Value) {
        condition.lock()
        self.value = value
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// No value will come: the taker gets nil.
    package func cancel() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the value; nil when it was cancelled.
    package func take() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while !done { condition.wait() }
        return value
    }
}

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
