import Dispatch
import Synchronization

/// Maps a list on every core, keeping the results in the list's order: the one place where
/// curated files are parsed in parallel (`CuratedParallelTests` compares it with a plain `map`).
///
/// Items are started largest first, by `cost`, so that the cores finish together; the results
/// come back in input order whatever order they finished in, so the output is deterministic.
package enum ConcurrentMap {
    package static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], cost: (Item) -> Int, _ transform: @Sendable (Item) -> Result
    ) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let order = items.indices.sorted { (cost(items[$0]), $1) > (cost(items[$1]), $0) }
        let results = Mutex([Result?](repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: items.count) { position in
            let index = order[position]
            let result = transform(items[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// Runs `work` on another thread now; ``Pending/value`` waits for its result. For a stage
    /// that can run while the caller does another (the curated files parsed while the release
    /// is imported).
    package static func start<Result: Sendable>(_ work: @escaping @Sendable () -> Result) -> Pending<Result> {
        let pending = Pending<Result>()
        pending.group.enter()
        DispatchQueue.global().async {
            let result = work()
            pending.result.withLock { $0 = result }
            pending.group.leave()
        }
        return pending
    }

    /// The result of ``start(_:)``, once it is there.
    package final class Pending<Result: Sendable>: Sendable {
        fileprivate let group = DispatchGroup()
        fileprivate let result = Mutex<Result?>(nil)

        /// Waits for the work to end and returns its result.
        package var value: Result {
            group.wait()
            guard let result = result.withLock({ $0 }) else { preconditionFailure("the work has ended with a result") }
            return result
        }
    }
}
