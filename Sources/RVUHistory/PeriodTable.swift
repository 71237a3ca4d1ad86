import RVUCore

/// Values that hold from `from` until the day before `to` (nil: still open), as the release
/// `release` (its id's text) published them.
struct Period: Sendable, Equatable {
    var from: CalendarDate
    var to: CalendarDate?
    var release: String
    var values: [String?]
}

/// The key of a period table's rows: its columns in the file, in primary-key order.
protocol PeriodKey: Hashable, Comparable, Sendable {
    static var columnNames: [String] { get }
    var columns: [String] { get }
}

/// The periods of every key of one table (RVU rows or localities), each key's sorted by date,
/// never overlapping, consecutive identical periods merged. Kept canonical: every period begins
/// with the values the release in effect on its first day published, and names that release.
struct PeriodTable<Key: PeriodKey>: Sendable {
    var periods: [Key: [Period]] = [:]

    /// Number of periods in all.
    var count: Int { periods.values.reduce(0) { $0 + $1.count } }

    /// Puts a release's rows in effect from `from` until `to` (nil: open), replacing what was in
    /// effect then; a key the release lacks has no value in that span. `nextRelease` names the
    /// release taking effect on `to` (the values from `to` on are kept, now beginning there).
    mutating func splice(
        _ rows: [(key: Key, values: [String?])], release: String, from: CalendarDate, to: CalendarDate?, nextRelease: String?
    ) {
        var incoming: [Key: [String?]] = [:]
        incoming.reserveCapacity(rows.count)
        for row in rows { incoming[row.key] = row.values }
        for (key, existing) in periods {
            let value = incoming.removeValue(forKey: key)
            // Nothing to do for a key absent before and after, or ended before `from`.
            if value == nil, let last = existing.last, let end = last.to, end < from { continue }
            // The common case of releases added in date order: the key's open period began
            // before `from` with the same values, which go on (``splice(_:value:release:from:to:nextRelease:)``
            // would cut it at `from` and merge it back: the same periods, at the cost of copies).
            if to == nil, let value, let last = existing.last, last.to == nil, last.from < from, last.values == value { continue }
            let spliced = Self.splice(existing, value: value, release: release, from: from, to: to, nextRelease: nextRelease)
            periods[key] = spliced.isEmpty ? nil : spliced
        }
        for (key, value) in incoming {
            periods[key] = [Period(from: from, to: to, release: release, values: value)]
        }
    }

    /// One key's periods with `value` (or nothing) in effect over `[from, to)`.
    static func splice(
        _ existing: [Period], value: [String?]?, release: String, from: CalendarDate, to: CalendarDate?, nextRelease: String?
    ) -> [Period] {
        var pieces: [Period] = []
        pieces.reserveCapacity(existing.count + 2)
        for period in existing where period.from < from {
            var before = period
            if let end = period.to { before.to = min(end, from) } else { before.to = from }
            pieces.append(before)
        }
        if let value { pieces.append(Period(from: from, to: to, release: release, values: value)) }
        if let to {
            for period in existing where period.to.map({ $0 > to }) ?? true {
                var after = period
                if period.from < to {
                    after.from = to
                    after.release = nextRelease ?? period.release
                }
                pieces.append(after)
            }
        }
        // Merge consecutive identical periods; the first names the release.
        var merged: [Period] = []
        merged.reserveCapacity(pieces.count)
        for piece in pieces {
            if var last = merged.last, last.to == piece.from, last.values == piece.values {
                last.to = piece.to
                merged[merged.count - 1] = last
            } else {
                merged.append(piece)
            }
        }
        return merged
    }

    /// The keys whose periods differ between `self` and `other`, in order.
    func changedKeys(from other: Self) -> [Key] {
        var keys: [Key] = []
        for (key, periods) in periods where other.periods[key] != periods { keys.append(key) }
        for key in other.periods.keys where periods[key] == nil { keys.append(key) }
        return keys.sorted()
    }

    /// Every period with its key, keys in order.
    var sorted: [(key: Key, period: Period)] {
        var result: [(key: Key, period: Period)] = []
        result.reserveCapacity(count)
        for key in periods.keys.sorted() {
            for period in periods[key] ?? [] { result.append((key, period)) }
        }
        return result
    }
}
