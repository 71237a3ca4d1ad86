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
}
