import Dispatch

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
