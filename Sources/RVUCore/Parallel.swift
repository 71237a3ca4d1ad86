import Dispatch
import Foundation

/// Runs `background` on another thread while `foreground` runs on this one, and returns both
/// results once both have finished (also when `foreground` throws).
///
/// The other thread is a new one, not one of Dispatch's workers: the importer's workers keep
/// both cores busy while the catalog is written beside them, and work queued behind them
/// would wait for them to finish.
public func runInParallel<Background: Sendable, Foreground>(
    _ background: @escaping @Sendable () -> Background, _ foreground: () throws -> Foreground
) rethrows -> (Background, Foreground) {
    let slot = ParallelSlot<Background>()
    let finished = startThread { slot.value = background() }
    let foregroundResult: Foreground
    do {
        foregroundResult = try foreground()
    } catch {
        finished.wait()
        throw error
    }
    finished.wait()
    guard let backgroundResult = slot.value else { preconditionFailure("the background work finished without a result") }
    return (backgroundResult, foregroundResult)
}

/// Starts `body` on a new thread; the semaphore is signalled when it has returned.
package func startThread(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        finished.signal()
    }
    // The readers recurse little, but the default for secondary threads is small on some systems.
    thread.stackSize = 8 << 20
    thread.start()
    return finished
}

/// A result written by one thread and read by another after the writer's semaphore signal,
/// which orders the write before the read.
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
