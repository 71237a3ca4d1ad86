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
    /// Payments of rows in both catalogs that changed (an amount that appears or vanishes included).
    var payments: [PaymentChange] = []
    /// Payments of paid rows only in the new catalog (`old` is nil), one a setting with an amount.
    var paymentsAdded: [PaymentChange] = []
    /// Payments of paid rows only in the old catalog (`new` is nil), one a setting with an amount.
    var paymentsRemoved: [PaymentChange] = []
    var localitiesAdded: [LocalityChange] = []
    var localitiesRemoved: [LocalityChange] = []
    var localitiesChanged: [LocalityChange] = []
    /// Rows of the other tables (OPPS caps, county crosswalk, categories) added, removed or changed.
    var otherChanges: [RowChange] = []
    /// Codes with curated content in either catalog (for gate rules).
    var curatedCodes: Set<String> = []
    /// The filters this diff went through and what they left out (nil when unfiltered).
    var filterNote: FilterNote?

    /// What ``filtered(_:)`` applied and how many changes it left out, so that a report never
    /// looks complete when it is not.
    struct FilterNote: Sendable, Equatable {
        /// Each filter as given and what it applies to (`--variant qpp: RVU rows and payments only`).
        var filters: [String]
        /// Changes (one a field, or one an added or removed entry) of the unfiltered diff left out.
        var leftOut: Int
    }

    /// The number of changes: one a changed field, one an added or removed entry.
    var changeCount: Int {
        codesAdded.count + codesRemoved.count + codesChanged.reduce(0) { $0 + $1.changes.count } + rvuAdded.count + rvuRemoved.count
            + rvuChanged.reduce(0) { $0 + $1.changes.count } + payments.count + paymentsAdded.count + paymentsRemoved.count
            + localitiesAdded.count + localitiesRemoved.count + localitiesChanged.reduce(0) { $0 + $1.changes.count } + metadata.count
            + otherChanges.reduce(0) { $0 + max(1, $1.changes.count) }
    }

    /// True when the two catalogs hold the same data.
    public var isEmpty: Bool {
        metadata.isEmpty && codesAdded.isEmpty && codesRemoved.isEmpty && codesChanged.isEmpty && rvuAdded.isEmpty
            && rvuRemoved.isEmpty && rvuChanged.isEmpty && payments.isEmpty && paymentsAdded.isEmpty && paymentsRemoved.isEmpty
            && localitiesAdded.isEmpty
            && localitiesRemoved.isEmpty && localitiesChanged.isEmpty && otherChanges.isEmpty
    }
}

extension CatalogDiff {
    /// What to keep of a diff: kinds of change, fields, a variant, codes matching a pattern.
    ///
    /// - `only` and `fields` apply to every section (an added or removed entry has no field: a
    ///   field filter leaves it out, but for payments, kept by their setting's `*_amount` field).
    /// - `variant` applies to RVU rows and payments only; every other section is kept whole.
    /// - `codePattern` keeps codes, RVU rows, payments and OPPS caps of matching codes, and leaves
    ///   out the sections that belong to no code: localities, the county crosswalk, categories and
    ///   the metadata.
    ///
    /// The filtered diff records what was left out (``FilterNote``), and the reports say it.
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

        /// True when the filter keeps everything.
        var isEmpty: Bool { only.isEmpty && fields.isEmpty && variant == nil && codePattern == nil }

        /// The variants of RVU rows and payments.
        public static let variants = ["general", "qpp"]

        /// The list fields of a code, compared as lists.
        static let listFields = ["synonyms", "specialties", "modifier_notes"]

        /// The metadata keys a catalog writes, besides `notice_N` (see `CatalogRows.metaRows`;
        /// a test checks the sample catalogs against this list).
        static let metadataFields = [
            "ada_notice", "ama_notice", "attribution", "curated_revision", "descriptors", "national_anesthesia_cf", "release_id",
            "release_revision", "released_on", "schema_version", "source_sha256",
        ]

        /// Every name `fields` accepts, sorted: the compared columns of the catalog's tables (from
        /// the schema itself), the list fields and the metadata keys.
        public static let fieldNames: [String] = {
            Set(((try? schemaColumns()) ?? []) + listFields + metadataFields).sorted()
        }()

        /// The compared columns of ``CatalogDiff/deltaTables``, read from an empty in-memory catalog.
        static func schemaColumns() throws -> [String] {
            let queue = try DatabaseQueue()
            try Schema.migrator.migrate(queue)
            return try queue.read { db in
                try deltaTables.flatMap { try CatalogDiff.columns(db, $0.table, excluding: $0.key) }
            }
        }

        /// True when `name` is a field (`notice_2` too: notices past the ADA and AMA ones).
        static func isField(_ name: String) -> Bool {
            if fieldNames.contains(name) { return true }
            guard name.hasPrefix("notice_") else { return false }
            let number = name.dropFirst("notice_".count)
            return !number.isEmpty && number.allSatisfy(\.isASCII) && number.allSatisfy(\.isNumber)
        }

        /// What is wrong with the filter's values, one message each (empty when nothing is): a
        /// field that is not one, a variant that is not one, a code pattern no HCPCS code can match.
        public var problems: [String] {
            var problems: [String] = []
            for field in fields.sorted() where !Self.isField(field) {
                problems.append(
                    "'\(field)' is not a field; the fields are: \(Self.fieldNames.joined(separator: ", ")) (and notice_N)")
            }
            if let variant, !Self.variants.contains(variant) {
                problems.append("'\(variant)' is not a variant; the variants are: \(Self.variants.joined(separator: ", "))")
            }
            if let codePattern, let problem = Self.codePatternProblem(codePattern) { problems.append(problem) }
            return problems
        }

        /// Why no HCPCS code (five letters or digits) can match `pattern`, or nil when one can.
        static func codePatternProblem(_ pattern: String) -> String? {
            let bytes = Array(pattern.utf8)
            let fixed = bytes.filter { $0 != UInt8(ascii: "*") }.count
            let allowed = bytes.allSatisfy {
                $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                    || (0x61...0x7A).contains($0)
            }
            let fits = bytes.contains(UInt8(ascii: "*")) ? fixed <= 5 : fixed == 5
            guard !allowed || !fits else { return nil }
            return
                "--code '\(pattern)' cannot match a HCPCS code (five letters or digits); use * for any run and ? for one character, e.g. '99*', 'D0???'"
        }

        func keeps(_ kind: Kind) -> Bool { only.isEmpty || only.contains(kind) }

        func keeps(code: String) -> Bool {
            guard let codePattern else { return true }
            return Self.matches(Array(code.uppercased().utf8), Array(codePattern.uppercased().utf8))
        }

        func keeps(_ key: RVUKey) -> Bool { keeps(code: key.hcpcs) && (variant == nil || key.variant == variant) }

        func keeps(field: String) -> Bool { fields.isEmpty || fields.contains(field) }

        /// Each filter given, as on the command line, with what it applies to.
        var descriptions: [String] {
            var descriptions: [String] = []
            if !only.isEmpty {
                descriptions.append(Kind.allCases.filter(only.contains).map { "--only \($0.rawValue)" }.joined(separator: " "))
            }
            if !fields.isEmpty {
                descriptions.append(
                    fields.sorted().map { "--field \($0)" }.joined(separator: " ")
                        + " (added and removed codes, RVU rows, localities and table rows left out; payments kept by setting)")
            }
            if let variant { descriptions.append("--variant \(variant) (RVU rows and payments only)") }
            if let codePattern {
                descriptions.append(
                    "--code '\(codePattern)' (localities, metadata, the county crosswalk and categories left out)")
            }
            return descriptions
        }

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

    /// The diff with only what the filter keeps, noting what it left out (see ``Filter``).
    public func filtered(_ filter: Filter) -> CatalogDiff {
        guard !filter.isEmpty else { return self }
        var diff = self
        func fields(_ changes: [FieldChange]) -> [FieldChange] { changes.filter { filter.keeps(field: $0.field) } }
        let entries = filter.fields.isEmpty
        diff.codesAdded = filter.keeps(.added) && entries ? codesAdded.filter { filter.keeps(code: $0.code) } : []
        diff.codesRemoved = filter.keeps(.removed) && entries ? codesRemoved.filter { filter.keeps(code: $0.code) } : []
        diff.codesChanged =
            filter.keeps(.changed)
            ? codesChanged.filter { filter.keeps(code: $0.code) }.map {
                CodeChange(code: $0.code, curated: $0.curated, changes: fields($0.changes))
            }
            .filter { !$0.changes.isEmpty } : []
        diff.rvuAdded = filter.keeps(.added) && entries ? rvuAdded.filter { filter.keeps($0.key) } : []
        diff.rvuRemoved = filter.keeps(.removed) && entries ? rvuRemoved.filter { filter.keeps($0.key) } : []
        diff.rvuChanged =
            filter.keeps(.changed)
            ? rvuChanged.filter { filter.keeps($0.key) }.map { RVUChange(key: $0.key, changes: fields($0.changes)) }.filter {
                !$0.changes.isEmpty
            }
            : []
        func kept(_ list: [PaymentChange], _ kind: Filter.Kind) -> [PaymentChange] {
            filter.keeps(kind) ? list.filter { filter.keeps($0.key) && filter.keeps(field: "\($0.setting)_amount") } : []
        }
        diff.payments = kept(payments, .changed)
        diff.paymentsAdded = kept(paymentsAdded, .added)
        diff.paymentsRemoved = kept(paymentsRemoved, .removed)
        // Localities, metadata and the tables of no code belong to no code: a code pattern leaves
        // them out (and says so); the variant does not apply to them.
        let noCode = filter.codePattern == nil
        diff.localitiesAdded = filter.keeps(.added) && entries && noCode ? localitiesAdded : []
        diff.localitiesRemoved = filter.keeps(.removed) && entries && noCode ? localitiesRemoved : []
        diff.localitiesChanged =
            filter.keeps(.changed) && noCode
            ? localitiesChanged.map { LocalityChange(mac: $0.mac, locality: $0.locality, name: $0.name, changes: fields($0.changes)) }
                .filter { !$0.changes.isEmpty } : []
        diff.metadata = filter.keeps(.changed) && noCode ? metadata.filter { filter.keeps(field: $0.field) } : []
        diff.otherChanges = otherChanges.compactMap { change in
            guard let kind = Filter.Kind(rawValue: change.kind), filter.keeps(kind) else { return nil }
            if change.table == "opps_cap" {
                guard filter.keeps(code: String(change.key.prefix(5))) else { return nil }
            } else if !noCode {
                return nil
            }
            if kind != .changed { return entries ? change : nil }
            let kept = change.changes.filter { filter.keeps(field: $0.field) }
            return kept.isEmpty ? nil : RowChange(table: change.table, key: change.key, kind: change.kind, changes: kept)
        }
        diff.filterNote = FilterNote(filters: filter.descriptions, leftOut: changeCount - diff.changeCount)
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
        } catch let error as SideError {
            throw DiagnosticError(.catalogRead, error.message, at: SourceLocation(file: error.schema == "n" ? new.path : old.path))
        } catch {
            throw DiagnosticError(.catalogRead, "cannot compare the catalogs: \(error)", at: SourceLocation(file: new.path))
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
                    .catalogRead, "the file is damaged (SQLite's integrity check: \(first)); rebuild the catalog or restore a copy",
                    at: SourceLocation(file: catalog.path))
            }
        }
    }

    /// The tables compared row by row: key columns and extra columns reported for added and
    /// removed rows; every other column is compared.
    static let deltaTables: [(table: String, key: [String], extra: [String])] = [
        ("rvu", ["hcpcs", "modifier", "variant"], ["status"]),
        ("national_payment", ["hcpcs", "modifier", "variant"], ["nonfacility_amount", "facility_amount"]),
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
                        db, table: table.table, key: table.key, values: sharedColumns(db, table.table, excluding: table.key),
                        extra: table.extra,
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
        let old = try TableCursor(db, schema: "main", table: table, keyCount: key.count, sql: query("main"))
        let new = try TableCursor(db, schema: "n", table: table, keyCount: key.count, sql: query("n"))
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

    /// A damaged or hand-edited value or table of one catalog: `main` (the old) or `n` (the new).
    struct SideError: Error {
        var schema: String
        var message: String
    }

    /// Runs `body`, reading catalog `schema`: a value that is not what the writer stores (see
    /// ``StoredValue``) or a database error is a ``SideError`` of that catalog.
    static func reading<T>(_ schema: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SideError {
            throw error
        } catch {
            throw SideError(schema: schema, message: CatalogReader.explain(error, doing: "cannot read the catalog"))
        }
    }

    /// One side of a merge join: a query stepped with GRDB's row cursor, its current row's values
    /// read straight from the statement (GRDB's `DatabaseValue(sqliteStatement:index:)`: no row
    /// object, no type looked up at run time).
    final class TableCursor {
        private let statement: Statement
        private let rows: RowCursor
        private let schema: String
        private let table: String
        private let keyCount: Int
        /// The declared kind of each column, to check each row's values against.
        private let kinds: [StoredValue.Kind]
        /// False once the last row has been passed.
        private(set) var hasRow = false

        /// The rows of `sql`, from `table` in `schema`, the first `keyCount` columns the key.
        init(_ db: Database, schema: String, table: String, keyCount: Int, sql: String) throws {
            self.schema = schema
            self.table = table
            self.keyCount = keyCount
            (statement, rows, kinds) = try CatalogDiff.reading(schema) {
                let statement = try db.makeStatement(sql: sql)
                return (statement, try Row.fetchCursor(statement), StoredValue.kinds(statement))
            }
            try step()
        }

        /// Moves to the next row and checks its values (see ``StoredValue``).
        func step() throws {
            try CatalogDiff.reading(schema) {
                hasRow = try rows.next() != nil
                if hasRow {
                    try StoredValue.check(
                        statement, kinds: kinds,
                        label: "\(table) row "
                            + (0..<keyCount).map { "\(statement.columnNames[$0])=\(CatalogDump.format(self[$0], scale: nil))" }
                            .joined(separator: ", "))
                }
            }
        }

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

    /// The columns of a table in both catalogs, less the key, in the old catalog's order: a
    /// column a later schema added (`code.cms_descriptor`, schema 4) is compared only when both
    /// catalogs have it.
    static func sharedColumns(_ db: Database, _ table: String, excluding key: [String]) throws -> [String] {
        let new = Set(try db.columns(in: table, in: "n").map(\.name))
        return try columns(db, table, excluding: key).filter { new.contains($0) }
    }

    /// The items of a list table by code, each item its columns' values, in list order.
    static func lists(_ db: Database, _ schema: String, table: String, columns: [String], order: String) throws -> [String: [[String]]] {
        let sql = "SELECT code, \(columns.joined(separator: ", ")) FROM \(schema).\(table) ORDER BY code, \(order)"
        var lists: [String: [[String]]] = [:]
        try reading(schema) {
            for row in try StoredValue.fetchAll(db, sql: sql, label: table) {
                let code: String = try row.decode(forColumn: "code")
                lists[code, default: []].append(
                    try columns.indices.map { CatalogDump.format(try row.decode(DatabaseValue.self, atIndex: $0 + 1), scale: nil) })
            }
        }
        return lists
    }

    /// A list as one text, items joined with `; ` and the parts of an item (a modifier and its
    /// note) with `: `. A part that could be read otherwise is quoted (`"a; b"`): one holding `;`,
    /// a quote or a backslash, outer spaces, `NULL`, nothing, or `:` before the last part; so that
    /// two different lists never read the same.
    static func listText(_ items: [[String]]) -> String {
        func text(_ part: String, last: Bool) -> String {
            let plain =
                !part.isEmpty && part != "NULL" && !part.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\\" })
                && (last || !part.contains(":")) && part.first?.isWhitespace == false && part.last?.isWhitespace == false
            guard !plain else { return part }
            return "\"" + part.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return items.map { item in
            item.enumerated().map { text($1, last: $0 == item.count - 1) }.joined(separator: ": ")
        }.joined(separator: "; ")
    }

    static func compare(_ db: Database, deltas: [String: TableDelta]) throws -> CatalogDiff {
        func meta(_ schema: String) throws -> [String: String] {
            try reading(schema) { try CatalogReader.meta(db, schema: schema) }
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

        // Codes: the code table, plus the lists of each code, compared item by item.
        let codes = deltas["code"] ?? TableDelta()
        diff.curatedCodes = codes.marked
        diff.codesAdded = codes.added.map { CodeEntry(code: $0[0], title: $0[1], category: $0[2], curated: $0[3] == "curated") }
        diff.codesRemoved = codes.removed.map { CodeEntry(code: $0[0], title: $0[1], category: $0[2], curated: $0[3] == "curated") }
        var codeChanges: [String: [FieldChange]] = [:]
        for change in codes.changed { codeChanges[change.key[0], default: []] += change.changes }
        let addedOrRemoved = Set(diff.codesAdded.map(\.code) + diff.codesRemoved.map(\.code))
        for (table, columns, order, field) in [
            ("code_synonym", ["synonym"], "position", "synonyms"), ("code_specialty", ["specialty"], "specialty", "specialties"),
            ("code_modifier_note", ["modifier", "note"], "modifier", "modifier_notes"),
        ] {
            let old = try lists(db, "main", table: table, columns: columns, order: order)
            let new = try lists(db, "n", table: table, columns: columns, order: order)
            for code in Set(old.keys).union(new.keys) where !addedOrRemoved.contains(code) && old[code] != new[code] {
                codeChanges[code, default: []].append(
                    FieldChange(field: field, old: old[code].map(listText) ?? "NULL", new: new[code].map(listText) ?? "NULL"))
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

        // National payments: of rows in both catalogs, and of paid rows only in one.
        let payments = deltas["national_payment"] ?? TableDelta()
        func paid(_ row: [String], added: Bool) -> [PaymentChange] {
            zip(["nonfacility", "facility"], row.dropFirst(3)).compactMap { setting, text in
                guard let amount = ExactDecimal(text) else { return nil }
                return PaymentChange(key: rvuKey(row), setting: setting, old: added ? nil : amount, new: added ? amount : nil)
            }
        }
        diff.paymentsAdded = payments.added.flatMap { paid($0, added: true) }
        diff.paymentsRemoved = payments.removed.flatMap { paid($0, added: false) }
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
        var names: [String: String] = [:]
        try reading("n") {
            for row in try StoredValue.fetchAll(db, sql: "SELECT mac || '/' || locality AS key, name FROM n.locality", label: "locality") {
                let key: String = try row.decode(forColumn: "key")
                if names[key] == nil { names[key] = try row.decode(forColumn: "name") }
            }
        }
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
