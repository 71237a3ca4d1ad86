import Dispatch
import GRDB
import RVUCatalog
import RVUCore
import Synchronization

/// The differences between two catalogs, keyed by meaning: codes, curated content, RVU rows,
/// national payments, localities and the metadata that describes the data.
///
/// Values are compared as published text (`1.30`, `33.4009`), so a REAL column never differs by
/// a rounding artefact. `tool_version` and `catalog_version` are not compared: they do not
/// describe the data (the version changes exactly when something else does).
public struct CatalogDiff: Sendable {
    /// Which catalog a side is.
    struct Side: Sendable, Equatable {
        var releaseID: String
        var catalogVersion: String
        var releasedOn: String
    }

    /// One field's old and new value (`NULL` for none).
    struct FieldChange: Sendable, Equatable {
        var field: String
        var old: String
        var new: String
    }

    /// A code added or removed.
    struct CodeEntry: Sendable, Equatable {
        var code: String
        var title: String
        var category: String
        /// True when the code had (removed) or has (added) curated content.
        var curated: Bool
    }

    /// A code whose catalog page changed.
    struct CodeChange: Sendable, Equatable {
        var code: String
        var curated: Bool
        var changes: [FieldChange]
    }

    /// The key of an RVU row.
    struct RVUKey: Sendable, Hashable, Comparable, CustomStringConvertible {
        var hcpcs: String
        var modifier: String
        var variant: String

        static func < (lhs: RVUKey, rhs: RVUKey) -> Bool {
            (lhs.hcpcs, lhs.modifier, lhs.variant) < (rhs.hcpcs, rhs.modifier, rhs.variant)
        }

        /// `99213`, `70450-26`, `99213 (qpp)`.
        var description: String {
            (modifier.isEmpty ? hcpcs : "\(hcpcs)-\(modifier)") + (variant == "general" ? "" : " (\(variant))")
        }
    }

    /// An RVU row added or removed, with its status.
    struct RVUEntry: Sendable, Equatable {
        var key: RVUKey
        var status: String
    }

    /// An RVU row whose fields changed.
    struct RVUChange: Sendable, Equatable {
        var key: RVUKey
        var changes: [FieldChange]
    }

    /// A change of national payment in one setting.
    struct PaymentChange: Sendable, Equatable {
        var key: RVUKey
        /// `nonfacility` or `facility`.
        var setting: String
        var old: ExactDecimal?
        var new: ExactDecimal?
        /// new - old, when both are there.
        var dollars: ExactDecimal? {
            guard let old, let new else { return nil }
            return new - old
        }
        /// The change in percent of the old amount, when both are there and the old is not zero.
        var percent: Double? {
            guard let old, let new, old != .zero else { return nil }
            return ((new - old).doubleValue / old.doubleValue) * 100
        }
    }

    /// A row of another table added, removed or changed, by its key (`70450-TC 10112/00`).
    struct RowChange: Sendable, Equatable {
        var table: String
        var key: String
        /// `added`, `removed` or `changed`.
        var kind: String
        var changes: [FieldChange]
    }

    /// A locality added, removed or changed.
    struct LocalityChange: Sendable, Equatable {
        var mac: String
        var locality: String
        var name: String
        var changes: [FieldChange]
    }

    var from: Side
    var to: Side
    var metadata: [FieldChange] = []
    var codesAdded: [CodeEntry] = []
    var codesRemoved: [CodeEntry] = []
    var codesChanged: [CodeChange] = []
    var rvuAdded: [RVUEntry] = []
    var rvuRemoved: [RVUEntry] = []
    var rvuChanged: [RVUChange] = []
    var payments: [PaymentChange] = []
    var localitiesAdded: [LocalityChange] = []
    var localitiesRemoved: [LocalityChange] = []
    var localitiesChanged: [LocalityChange] = []
    /// Rows of the other tables (OPPS caps, county crosswalk, categories) added, removed or changed.
    var otherChanges: [RowChange] = []
    /// Codes with curated content in either catalog (for gate rules).
    var curatedCodes: Set<String> = []

    /// True when the two catalogs hold the same data.
    public var isEmpty: Bool {
        metadata.isEmpty && codesAdded.isEmpty && codesRemoved.isEmpty && codesChanged.isEmpty && rvuAdded.isEmpty
            && rvuRemoved.isEmpty && rvuChanged.isEmpty && payments.isEmpty && localitiesAdded.isEmpty
            && localitiesRemoved.isEmpty && localitiesChanged.isEmpty && otherChanges.isEmpty
    }
}

extension CatalogDiff {
    /// What to keep of a diff: kinds of change, fields, a variant, codes matching a pattern.
    public struct Filter: Sendable {
        public enum Kind: String, Sendable, CaseIterable { case added, removed, changed }

        var only: Set<Kind> = []
        /// Field names (`work_rvu`, `status`, `title`, `nonfacility_amount`, ...); empty for all.
        var fields: Set<String> = []
        var variant: String?
        /// A code pattern with `*` and `?` wildcards (`99*`, `D0???`); nil for all.
        var codePattern: String?

        public init(only: Set<Kind> = [], fields: Set<String> = [], variant: String? = nil, codePattern: String? = nil) {
            self.only = only
            self.fields = fields
            self.variant = variant
            self.codePattern = codePattern
        }

        func keeps(_ kind: Kind) -> Bool { only.isEmpty || only.contains(kind) }

        func keeps(code: String) -> Bool {
            guard let codePattern else { return true }
            return Self.matches(Array(code.uppercased().utf8), Array(codePattern.uppercased().utf8))
        }

        func keeps(_ key: RVUKey) -> Bool { keeps(code: key.hcpcs) && (variant == nil || key.variant == variant) }

        func keeps(field: String) -> Bool { fields.isEmpty || fields.contains(field) }

        /// Glob matching with `*` (any run) and `?` (one character).
        static func matches(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
            var t = 0
            var p = 0
            var star = -1
            var mark = 0
            while t < text.count {
                if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                    t += 1
                    p += 1
                } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                    star = p
                    mark = t
                    p += 1
                } else if star >= 0 {
                    p = star + 1
                    mark += 1
                    t = mark
                } else {
                    return false
                }
            }
            while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
            return p == pattern.count
        }
    }

    /// The diff with only what the filter keeps.
    public func filtered(_ filter: Filter) -> CatalogDiff {
        var diff = self
        func fields(_ changes: [FieldChange]) -> [FieldChange] { changes.filter { filter.keeps(field: $0.field) } }
        diff.codesAdded = filter.keeps(.added) && filter.fields.isEmpty ? codesAdded.filter { filter.keeps(code: $0.code) } : []
        diff.codesRemoved = filter.keeps(.removed) && filter.fields.isEmpty ? codesRemoved.filter { filter.keeps(code: $0.code) } : []
        diff.codesChanged =
            filter.keeps(.changed)
            ? codesChanged.filter { filter.keeps(code: $0.code) }.map {
                CodeChange(code: $0.code, curated: $0.curated, changes: fields($0.changes))
            }
            .filter { !$0.changes.isEmpty } : []
        diff.rvuAdded = filter.keeps(.added) && filter.fields.isEmpty ? rvuAdded.filter { filter.keeps($0.key) } : []
        diff.rvuRemoved = filter.keeps(.removed) && filter.fields.isEmpty ? rvuRemoved.filter { filter.keeps($0.key) } : []
        diff.rvuChanged =
            filter.keeps(.changed)
            ? rvuChanged.filter { filter.keeps($0.key) }.map { RVUChange(key: $0.key, changes: fields($0.changes)) }.filter {
                !$0.changes.isEmpty
            }
            : []
        diff.payments =
            filter.keeps(.changed)
            ? payments.filter { filter.keeps($0.key) && filter.keeps(field: "\($0.setting)_amount") } : []
        let localityFilterOn = filter.codePattern == nil && filter.variant == nil
        diff.localitiesAdded = filter.keeps(.added) && filter.fields.isEmpty && localityFilterOn ? localitiesAdded : []
        diff.localitiesRemoved = filter.keeps(.removed) && filter.fields.isEmpty && localityFilterOn ? localitiesRemoved : []
        diff.localitiesChanged =
            filter.keeps(.changed) && localityFilterOn
            ? localitiesChanged.map { LocalityChange(mac: $0.mac, locality: $0.locality, name: $0.name, changes: fields($0.changes)) }
                .filter { !$0.changes.isEmpty } : []
        diff.metadata = filter.keeps(.changed) && localityFilterOn ? metadata.filter { filter.keeps(field: $0.field) } : []
        diff.otherChanges = otherChanges.compactMap { change in
            guard let kind = Filter.Kind(rawValue: change.kind), filter.keeps(kind) else { return nil }
            if change.table == "opps_cap" {
                guard filter.keeps(code: String(change.key.prefix(5))), filter.variant == nil else { return nil }
            } else if !localityFilterOn {
                return nil
            }
            if kind != .changed { return filter.fields.isEmpty ? change : nil }
            let kept = change.changes.filter { filter.keeps(field: $0.field) }
            return kept.isEmpty ? nil : RowChange(table: change.table, key: change.key, kind: change.kind, changes: kept)
        }
        return diff
    }
}

extension CatalogDiff {
    /// Compares two catalogs: both pass SQLite's integrity check (run side by side), then each
    /// table is merge-joined in key order (see ``delta(_:table:key:values:extra:mark:)``).
    public static func compare(_ old: CatalogReader, _ new: CatalogReader) throws(DiagnosticError) -> CatalogDiff {
        try checkIntegrity(of: [old, new])
        do {
            let start = StageTiming.mark()
            let deltas = try tableDeltas(old: old.path, new: new.path)
            StageTiming.report("  table deltas", since: start)
            defer { StageTiming.report("  whole compare", since: start) }
            return try pair(old: old.path, new: new.path).read { db in try compare(db, deltas: deltas) }
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError("catalog-read", "cannot compare the catalogs: \(error)", at: SourceLocation(file: new.path))
        }
    }

    /// Fails on the first catalog that does not pass `PRAGMA integrity_check`: the diff reads
    /// rows through the key indexes, and a damaged file could be compared wrongly. The checks run
    /// side by side, one per catalog.
    static func checkIntegrity(of catalogs: [CatalogReader]) throws(DiagnosticError) {
        let start = StageTiming.mark()
        let findings = Mutex<[Int: Result<String, DiagnosticError>]>([:])
        DispatchQueue.concurrentPerform(iterations: catalogs.count) { index in
            let finding = Result { () throws(DiagnosticError) in try catalogs[index].integrityCheck() }
            findings.withLock { $0[index] = finding }
        }
        StageTiming.report("  integrity checks", since: start)
        let results = findings.withLock { $0 }
        for (index, catalog) in catalogs.enumerated() {
            let finding = try results[index]?.get() ?? "no answer"
            guard finding == "ok" else {
                let first = finding.split(whereSeparator: \.isNewline).joined(separator: " ")
                throw DiagnosticError(
                    "catalog-read", "the file is damaged (SQLite's integrity check: \(first)); rebuild the catalog or restore a copy",
                    at: SourceLocation(file: catalog.path))
            }
        }
    }

    /// The tables compared row by row: key columns and extra columns reported for added and
    /// removed rows; every other column is compared.
    static let deltaTables: [(table: String, key: [String], extra: [String])] = [
        ("rvu", ["hcpcs", "modifier", "variant"], ["status"]),
        ("national_payment", ["hcpcs", "modifier", "variant"], []),
        ("locality", ["mac", "locality"], ["name"]),
        ("code", ["code"], ["title", "category", "title_source"]),
        ("category", ["id"], []),
        ("opps_cap", ["hcpcs", "modifier", "mac", "locality"], []),
        ("locality_county", ["mac", "locality", "state", "fee_schedule_area"], []),
    ]

    /// A read-only connection to the old catalog with the new one attached as `n`.
    static func pair(old: String, new: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in try db.execute(sql: "ATTACH DATABASE ? AS n", arguments: [new]) }
        return try DatabaseQueue(path: old, configuration: configuration)
    }

    /// The delta of each table in ``deltaTables``, the tables shared out over the cores, each
    /// read on its own connection.
    static func tableDeltas(old: String, new: String) throws -> [String: TableDelta] {
        let tables = deltaTables
        let results = Mutex<[String: Result<TableDelta, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: tables.count) { index in
            let table = tables[index]
            let start = StageTiming.mark()
            let result = Result {
                try pair(old: old, new: new).read { db in
                    try delta(
                        db, table: table.table, key: table.key, values: columns(db, table.table, excluding: table.key), extra: table.extra,
                        mark: table.table == "code" ? ("title_source", "curated") : nil)
                }
            }
            StageTiming.report("  delta \(table.table)", since: start)
            results.withLock { $0[table.table] = result }
        }
        return try results.withLock { $0 }.mapValues { try $0.get() }
    }

    /// The scale of each REAL column, for printing values as published.
    static let scales: [String: Int] = Dictionary(
        Schema.scales.map { ("\($0.table).\($0.column)", $0.scale) }, uniquingKeysWith: { first, _ in first })

    /// Rows of a table added, removed and changed between `main` (old) and `n` (new).
    struct TableDelta: Sendable {
        /// First key values of the rows, on either side, whose marked column holds the marked value
        /// (codes with curated content).
        var marked: Set<String> = []
        var added: [[String]] = []
        var removed: [[String]] = []
        /// Key values and the field changes of each changed row.
        var changed: [(key: [String], changes: [FieldChange])] = []
    }

    /// A merge join of the two tables' rows, both read in key order: a key only in `n` is added,
    /// only in `main` removed, in both with any value different changed. Values that differ are
    /// compared again as published text, which decides.
    static func delta(
        _ db: Database, table: String, key: [String], values: [String], extra: [String] = [],
        mark: (column: String, value: String)? = nil
    ) throws -> TableDelta {
        var delta = TableDelta()
        let columns = key + values
        func format(_ side: TableCursor, _ index: Int) -> String {
            CatalogDump.format(side[index], scale: scales["\(table).\(columns[index])"])
        }
        func query(_ schema: String) -> String {
            "SELECT \(columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")) FROM \(schema).\(table.quotedDatabaseIdentifier)"
                + " ORDER BY \(key.map(\.quotedDatabaseIdentifier).joined(separator: ", "))"
        }
        let old = try TableCursor(db, sql: query("main"))
        let new = try TableCursor(db, sql: query("n"))
        let reported = key.indices + extra.compactMap { columns.firstIndex(of: $0) }
        let markIndex = mark.flatMap { columns.firstIndex(of: $0.column) }
        let markValue = mark?.value.databaseValue
        func noteMark(_ side: TableCursor) {
            if let markIndex, side[markIndex] == markValue { delta.marked.insert(format(side, 0)) }
        }
        while old.hasRow || new.hasRow {
            var order = 0
            if !old.hasRow {
                order = 1
            } else if !new.hasRow {
                order = -1
            } else {
                for index in key.indices {
                    order = sqliteOrder(old[index], new[index])
                    if order != 0 { break }
                }
            }
            if order >= 0 { noteMark(new) }
            if order <= 0 { noteMark(old) }
            if order > 0 {
                delta.added.append(reported.map { format(new, $0) })
                try new.step()
            } else if order < 0 {
                delta.removed.append(reported.map { format(old, $0) })
                try old.step()
            } else {
                var changes: [FieldChange] = []
                for index in key.count..<columns.count where old[index] != new[index] {
                    let (before, after) = (format(old, index), format(new, index))
                    if before != after { changes.append(FieldChange(field: columns[index], old: before, new: after)) }
                }
                if !changes.isEmpty { delta.changed.append((key.indices.map { format(old, $0) }, changes)) }
                try old.step()
                try new.step()
            }
        }
        return delta
    }

    /// One side of a merge join: a query stepped with GRDB's row cursor, its current row's values
    /// read straight from the statement (GRDB's `DatabaseValue(sqliteStatement:index:)`: no row
    /// object, no type looked up at run time).
    final class TableCursor {
        private let statement: Statement
        private let rows: RowCursor
        /// False once the last row has been passed.
        private(set) var hasRow: Bool

        init(_ db: Database, sql: String) throws {
            statement = try db.makeStatement(sql: sql)
            rows = try Row.fetchCursor(statement)
            hasRow = try rows.next() != nil
        }

        func step() throws { hasRow = try rows.next() != nil }

        /// Column `index` of the current row.
        subscript(index: Int) -> DatabaseValue { DatabaseValue(sqliteStatement: statement.sqliteStatement, index: CInt(index)) }
    }

    /// How two values order in SQLite's `ORDER BY` (binary collation): NULL first, then numbers
    /// by value, then text and blobs by their bytes.
    static func sqliteOrder(_ a: DatabaseValue, _ b: DatabaseValue) -> Int {
        func rank(_ value: DatabaseValue) -> Int {
            switch value.storage {
            case .null: 0
            case .int64, .double: 1
            case .string: 2
            case .blob: 3
            }
        }
        func bytes<C: Collection<UInt8>>(_ x: C, _ y: C) -> Int {
            x.elementsEqual(y) ? 0 : x.lexicographicallyPrecedes(y) ? -1 : 1
        }
        switch (a.storage, b.storage) {
        case (.string(let x), .string(let y)): return bytes(x.utf8, y.utf8)
        case (.int64(let x), .int64(let y)): return x == y ? 0 : x < y ? -1 : 1
        case (.blob(let x), .blob(let y)): return bytes(x, y)
        default:
            if rank(a) != rank(b) { return rank(a) < rank(b) ? -1 : 1 }
            guard let x = Double.fromDatabaseValue(a), let y = Double.fromDatabaseValue(b) else { return 0 }
            return x == y ? 0 : x < y ? -1 : 1
        }
    }

    /// The columns of a table, less the key.
    static func columns(_ db: Database, _ table: String, excluding key: [String]) throws -> [String] {
        try db.columns(in: table).map(\.name).filter { !key.contains($0) }
    }

    static func compare(_ db: Database, deltas: [String: TableDelta]) throws -> CatalogDiff {
        func meta(_ schema: String) throws -> [String: String] {
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT key, value FROM \(schema).catalog_meta").map {
                    (($0["key"] as String?) ?? "", ($0["value"] as String?) ?? "")
                }, uniquingKeysWith: { first, _ in first })
        }
        let before = try meta("main")
        let after = try meta("n")
        func side(_ meta: [String: String]) -> Side {
            Side(releaseID: meta["release_id"] ?? "", catalogVersion: meta["catalog_version"] ?? "", releasedOn: meta["released_on"] ?? "")
        }
        var diff = CatalogDiff(from: side(before), to: side(after))
        for key in Set(before.keys).union(after.keys).sorted() where !CatalogDump.nonDataMetaKeys.contains(key) {
            let old = before[key] ?? "NULL"
            let new = after[key] ?? "NULL"
            if old != new { diff.metadata.append(FieldChange(field: key, old: old, new: new)) }
        }

        // Codes: the code table, plus the lists of each code joined in order.
        let codes = deltas["code"] ?? TableDelta()
        diff.curatedCodes = codes.marked
        diff.codesAdded = codes.added.map { CodeEntry(code: $0[0], title: $0[1], category: $0[2], curated: $0[3] == "curated") }
        diff.codesRemoved = codes.removed.map { CodeEntry(code: $0[0], title: $0[1], category: $0[2], curated: $0[3] == "curated") }
        var codeChanges: [String: [FieldChange]] = [:]
        for change in codes.changed { codeChanges[change.key[0], default: []] += change.changes }
        let addedOrRemoved = Set(diff.codesAdded.map(\.code) + diff.codesRemoved.map(\.code))
        for (table, item, order, field) in [
            ("code_synonym", "synonym", "position", "synonyms"), ("code_specialty", "specialty", "specialty", "specialties"),
            ("code_modifier_note", "modifier || ': ' || note", "modifier", "modifier_notes"),
        ] {
            func lists(_ schema: String) throws -> [String: String] {
                let sql = """
                    SELECT code, group_concat(item, '; ') FROM
                    (SELECT code, \(item) AS item FROM \(schema).\(table) ORDER BY code, \(order)) GROUP BY code
                    """
                return Dictionary(
                    try Row.fetchAll(db, sql: sql).map { (($0[0] as String?) ?? "", ($0[1] as String?) ?? "") },
                    uniquingKeysWith: { first, _ in first })
            }
            let old = try lists("main")
            let new = try lists("n")
            for code in Set(old.keys).union(new.keys) where !addedOrRemoved.contains(code) && old[code] != new[code] {
                codeChanges[code, default: []].append(FieldChange(field: field, old: old[code] ?? "NULL", new: new[code] ?? "NULL"))
            }
        }
        diff.codesChanged = codeChanges.keys.sorted().map { code in
            CodeChange(code: code, curated: diff.curatedCodes.contains(code), changes: codeChanges[code] ?? [])
        }

        // RVU rows.
        let rvu = deltas["rvu"] ?? TableDelta()
        func rvuKey(_ values: [String]) -> RVUKey { RVUKey(hcpcs: values[0], modifier: values[1], variant: values[2]) }
        diff.rvuAdded = rvu.added.map { RVUEntry(key: rvuKey($0), status: $0[3]) }
        diff.rvuRemoved = rvu.removed.map { RVUEntry(key: rvuKey($0), status: $0[3]) }
        diff.rvuChanged = rvu.changed.map { RVUChange(key: rvuKey($0.key), changes: $0.changes) }

        // National payments of rows in both catalogs.
        let payments = deltas["national_payment"] ?? TableDelta()
        for change in payments.changed {
            for field in change.changes {
                diff.payments.append(
                    PaymentChange(
                        key: rvuKey(change.key), setting: String(field.field.dropLast("_amount".count)), old: ExactDecimal(field.old),
                        new: ExactDecimal(field.new)))
            }
        }

        // Localities.
        let localities = deltas["locality"] ?? TableDelta()
        diff.localitiesAdded = localities.added.map { LocalityChange(mac: $0[0], locality: $0[1], name: $0[2], changes: []) }
        diff.localitiesRemoved = localities.removed.map { LocalityChange(mac: $0[0], locality: $0[1], name: $0[2], changes: []) }
        let names = Dictionary(
            try Row.fetchAll(db, sql: "SELECT mac || '/' || locality, name FROM n.locality").map {
                (($0[0] as String?) ?? "", ($0[1] as String?) ?? "")
            }, uniquingKeysWith: { first, _ in first })
        diff.localitiesChanged = localities.changed.map {
            LocalityChange(mac: $0.key[0], locality: $0.key[1], name: names["\($0.key[0])/\($0.key[1])"] ?? "", changes: $0.changes)
        }

        // The other tables.
        for (table, key) in [
            ("opps_cap", ["hcpcs", "modifier", "mac", "locality"]), ("locality_county", ["mac", "locality", "state", "fee_schedule_area"]),
            ("category", ["id"]),
        ] {
            let rows = deltas[table] ?? TableDelta()
            func label(_ values: [String]) -> String {
                guard table == "opps_cap" else { return values.prefix(key.count).joined(separator: " ") }
                return (values[1].isEmpty ? values[0] : "\(values[0])-\(values[1])") + " \(values[2])/\(values[3])"
            }
            diff.otherChanges += rows.added.map { RowChange(table: table, key: label($0), kind: "added", changes: []) }
            diff.otherChanges += rows.removed.map { RowChange(table: table, key: label($0), kind: "removed", changes: []) }
            diff.otherChanges += rows.changed.map { RowChange(table: table, key: label($0.key), kind: "changed", changes: $0.changes) }
        }
        return diff
    }
}
