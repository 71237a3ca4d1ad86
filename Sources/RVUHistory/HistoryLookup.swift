import Foundation
import GRDB
import RVUCatalog
import RVUCore

/// Answers "which values applied on that date" from a history file, opened read-only.
///
///     let lookup = try HistoryLookup(path: "history.sqlite")
///     let answer = try lookup.answer(code: "99213", on: day).get()   // answer.workRVU == "1.30"
///
/// One answer reads one code's periods; a batch reads the periods of every code it needs once
/// (``periods(of:)``) and answers from memory (``answer(code:modifier:variant:on:from:)``).
public struct HistoryLookup: Sendable {
    /// A loaded release that takes effect (one superseded the same day is left out).
    public struct Release: Sendable, Equatable {
        public let id: String
        public let effectiveFrom: CalendarDate
    }

    /// A span of `carried_forward_quarter`.
    struct CarriedSpan: Sendable {
        let startsOn: CalendarDate
        let endsOn: CalendarDate
    }

    /// One stored period of one key, values in ``HistorySchema/rvuValueColumns`` order.
    public struct StoredPeriod: Sendable, Equatable {
        /// The first day the values apply, and the first day they no longer do (nil: open).
        public let from: CalendarDate
        public let to: CalendarDate?
        /// The release whose values begin the period.
        public let release: String
        public let values: [String?]

        /// The value of a column of ``HistorySchema/rvuValueColumns``.
        public func value(_ column: String) -> String? {
            guard let index = HistorySchema.rvuValueColumns.firstIndex(of: column), index < values.count else { return nil }
            return values[index]
        }
    }

    /// The periods of some codes, read once, by key.
    public struct Periods: Sendable {
        var byKey: [RVUKey: [StoredPeriod]] = [:]
        /// Codes read (uppercased), so that a code absent from the history is known to be absent.
        var codes: Set<String> = []

        /// Every period of `key`, by date.
        public func periods(of key: RVUKey) -> [StoredPeriod] { byKey[key] ?? [] }
    }

    /// Why there is no answer.
    public enum NoAnswer: Error, Sendable, Equatable, CustomStringConvertible {
        /// The history has no release.
        case emptyHistory
        /// The date is before the first loaded release takes effect.
        case beforeFirstRelease(date: CalendarDate, first: String, effectiveFrom: CalendarDate)
        /// No release ever had this code, modifier and variant.
        case unknownCode(RVUKey)
        /// The code is in the history, but not in the release in effect that day.
        case notInEffect(RVUKey, date: CalendarDate, release: String)

        public var description: String {
            switch self {
            case .emptyHistory: "the history holds no release"
            case .beforeFirstRelease(let date, let first, let from):
                "\(date) is before the first release in the history (\(first), effective \(from))"
            case .unknownCode(let key): "\(HistoryLookup.name(key)) is in no release of the history"
            case .notInEffect(let key, let date, let release):
                "\(HistoryLookup.name(key)) is not in \(release), the release in effect on \(date)"
            }
        }
    }

    /// The history file.
    public let path: String
    private let queue: DatabaseQueue
    /// The releases that take effect, by date.
    public let releases: [Release]
    private let carried: [CarriedSpan]

    /// Opens the history at `path` read-only; a missing file, or one that is not a history, is a
    /// `history-read` error naming it.
    public init(path: String) throws(DiagnosticError) {
        self.path = path
        queue = try HistoryStore.open(path)
        do {
            let loaded = try queue.read { db in
                var all: [(id: ReleaseID, name: String, from: CalendarDate)] = []
                for row in try Row.fetchAll(db, sql: "SELECT release_id, effective_from FROM source_release") {
                    let name: String = try row.decode(atIndex: 0)
                    all.append((try ReleaseID(parsing: name), name, try HistoryStore.date(try row.decode(atIndex: 1))))
                }
                all.sort { $0.from != $1.from ? $0.from < $1.from : $0.id < $1.id }
                // Of releases taking effect the same day, the later revision wins.
                var winners: [Release] = []
                for entry in all {
                    if winners.last?.effectiveFrom == entry.from { winners.removeLast() }
                    winners.append(Release(id: entry.name, effectiveFrom: entry.from))
                }
                var spans: [CarriedSpan] = []
                for row in try Row.fetchAll(db, sql: "SELECT starts_on, ends_on FROM carried_forward_quarter ORDER BY starts_on") {
                    spans.append(
                        CarriedSpan(
                            startsOn: try HistoryStore.date(try row.decode(atIndex: 0)),
                            endsOn: try HistoryStore.date(try row.decode(atIndex: 1))))
                }
                return (winners, spans)
            }
            releases = loaded.0
            carried = loaded.1
        } catch {
            throw HistoryStore.readError(error, path: path)
        }
    }

    /// The release in effect on `date`: the latest taking effect on or before it.
    public func release(on date: CalendarDate) -> Release? {
        var low = 0
        var high = releases.count
        while low < high {
            let middle = (low + high) / 2
            if releases[middle].effectiveFrom <= date { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : releases[low - 1]
    }

    /// True when `date` falls in a quarter with no loaded release.
    public func isCarriedForward(_ date: CalendarDate) -> Bool {
        carried.contains { $0.startsOn <= date && date < $0.endsOn }
    }

    /// The values of `code` (`modifier`, `variant`) in effect on `date`, reading that code's
    /// periods; ``NoAnswer`` when there are none.
    public func answer(code: String, modifier: String = "", variant: String = "general", on date: CalendarDate)
        throws(DiagnosticError) -> Result<HistoryAnswer, NoAnswer>
    {
        let periods = try self.periods(of: [code])
        return answer(code: code, modifier: modifier, variant: variant, on: date, from: periods)
    }

    /// The values in effect on `date`, from periods read by ``periods(of:)`` (which must include
    /// `code`).
    public func answer(code: String, modifier: String = "", variant: String = "general", on date: CalendarDate, from periods: Periods)
        -> Result<HistoryAnswer, NoAnswer>
    {
        let key = RVUKey(hcpcs: Self.normal(code), modifier: Self.normal(modifier), variant: variant)
        guard let first = releases.first else { return .failure(.emptyHistory) }
        guard let inEffect = self.release(on: date) else {
            return .failure(.beforeFirstRelease(date: date, first: first.id, effectiveFrom: first.effectiveFrom))
        }
        let stored = periods.periods(of: key)
        guard !stored.isEmpty else { return .failure(.unknownCode(key)) }
        guard let period = Self.period(in: stored, holding: date) else {
            return .failure(.notInEffect(key, date: date, release: inEffect.id))
        }
        return .success(
            HistoryAnswer(
                code: key.hcpcs, modifier: key.modifier, variant: key.variant, date: date, releaseID: inEffect.id,
                periodReleaseID: period.release, effectiveFrom: period.from, effectiveTo: period.to,
                carriedForward: isCarriedForward(date), values: period.values))
    }

    /// Every period of every row of `code` (each modifier and variant), by key then date: the
    /// trend a code page shows.
    public func trend(of code: String) throws(DiagnosticError) -> [(key: RVUKey, periods: [StoredPeriod])] {
        let periods = try self.periods(of: [code])
        return periods.byKey.keys.sorted().map { ($0, periods.periods(of: $0)) }
    }

    /// The period of `periods` (sorted, not overlapping) holding `date`.
    static func period(in periods: [StoredPeriod], holding date: CalendarDate) -> StoredPeriod? {
        var low = 0
        var high = periods.count
        while low < high {
            let middle = (low + high) / 2
            if periods[middle].from <= date { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let candidate = periods[low - 1]
        if let end = candidate.to, end <= date { return nil }
        return candidate
    }

    /// Reads every period of `codes` (any case) once, with one indexed query per distinct code.
    /// A value that is not what the history writes (a decimal column that is not a decimal) is
    /// a `history-read` error: the file was edited.
    public func periods(of codes: some Sequence<String>) throws(DiagnosticError) -> Periods {
        var result = Periods()
        for code in codes { result.codes.insert(Self.normal(code)) }
        let sortedCodes = result.codes.sorted()
        let columns = HistorySchema.rvuValueColumns
        let decimalColumns = Set(columns.indices.filter { !["status", "global_days"].contains(columns[$0]) })
        do {
            result.byKey = try queue.read { db in
                var byKey: [RVUKey: [StoredPeriod]] = [:]
                let statement = try db.cachedStatement(
                    sql: """
                        SELECT modifier, variant, effective_from, effective_to, release_id, \(columns.joined(separator: ", "))
                        FROM rvu_period WHERE hcpcs = ? ORDER BY modifier, variant, effective_from
                        """)
                for code in sortedCodes {
                    let cursor = try Row.fetchCursor(statement, arguments: [code])
                    while let row = try cursor.next() {
                        var values: [String?] = []
                        values.reserveCapacity(columns.count)
                        for index in columns.indices {
                            let value: String? = try row.decode(atIndex: 5 + index)
                            if let value, decimalColumns.contains(index), ExactDecimal(value) == nil {
                                throw CatalogReadError(
                                    message: "rvu_period \(code) \(columns[index]) '\(value)' is not a decimal; rebuild the history")
                            }
                            values.append(value)
                        }
                        let key = RVUKey(hcpcs: code, modifier: try row.decode(atIndex: 0), variant: try row.decode(atIndex: 1))
                        let to: String? = try row.decode(atIndex: 3)
                        byKey[key, default: []].append(
                            StoredPeriod(
                                from: try HistoryStore.date(try row.decode(atIndex: 2)), to: try to.map(HistoryStore.date),
                                release: try row.decode(atIndex: 4), values: values))
                    }
                }
                return byKey
            }
        } catch {
            throw HistoryStore.readError(error, path: path)
        }
        return result
    }

    /// Parses a date of service written `YYYY-MM-DD` exactly (no other form is accepted: `06/07/2025`
    /// is ambiguous outside the US); nil otherwise.
    public static func date(_ text: some StringProtocol) -> CalendarDate? {
        // Read from the digits directly: a batch parses one date a visit.
        // Year, month and day accumulate their digits; the dashes end the first two.
        var fields = (0, 0, 0)
        var count = 0
        for byte in text.utf8 {
            count += 1
            if count == 5 || count == 8 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard count <= 10, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            switch count {
            case ...4: fields.0 = fields.0 * 10 + digit
            case ...7: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
        }
        guard count == 10 else { return nil }
        return CalendarDate(year: fields.0, month: fields.1, day: fields.2)
    }

    /// Codes and modifiers are compared uppercased, without surrounding spaces.
    static func normal(_ text: String) -> String {
        let text = trimmed(text)
        // Uppercasing only when there is a lowercase or non-ASCII letter: most codes have none.
        return text.utf8.contains { ($0 >= 0x61 && $0 <= 0x7A) || $0 >= 0x80 } ? text.uppercased() : text
    }

    /// `text` without surrounding spaces and tabs; Foundation's trimming (a quarter of a batch's
    /// time when called on every cell) only when there are some.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last,
            first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
        else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// `99213`, `70450-26`, with ` (qpp)` for that variant.
    static func name(_ key: RVUKey) -> String {
        (key.modifier.isEmpty ? key.hcpcs : "\(key.hcpcs)-\(key.modifier)") + (key.variant == "general" ? "" : " (\(key.variant))")
    }
}
