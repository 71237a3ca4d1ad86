import GRDB
import RVUCore

/// What ``CatalogRows/encode(into:)`` sends the catalog's rows to, value by value: the writer's
/// inserts (``CatalogRowEncoder``) and the version hash (``CatalogVersionSink``).
protocol CatalogRowSink {
    associatedtype Failure: Error
    /// Starts a row of `table`; tables come in ``CatalogRows/Table`` order.
    mutating func beginRow(_ table: CatalogRows.Table) throws(Failure)
    mutating func endRow() throws(Failure)
    mutating func add(_ text: String)
    mutating func add(_ decimal: ExactDecimal?)
    mutating func add(_ integer: Int?)
    mutating func addNull()
}

extension CatalogRowSink {
    mutating func add(_ text: String?) {
        guard let text else { return addNull() }
        add(text)
    }

    mutating func add(_ flag: Bool) { add(flag ? 1 : 0) }
}

/// Feeds the rows to the version hash (``CatalogHasher``), naming every table in turn, also one
/// without rows, as ``CatalogHasher/version(of:)`` does reading a finished catalog back.
struct CatalogVersionSink: CatalogRowSink {
    private var hasher = CatalogHasher()
    /// Each table's column names, from the schema, in ``CatalogRows/Table`` order.
    private let columns: [[String]]
    /// The tables named in the hash so far.
    private var hashedTables = 0

    init(columns: [[String]]) { self.columns = columns }

    mutating func beginRow(_ table: CatalogRows.Table) {
        nameTables(through: table.rawValue)
        hasher.beginRow()
    }

    mutating func endRow() { hasher.endRow() }
    mutating func add(_ text: String) { hasher.append(text) }

    mutating func add(_ decimal: ExactDecimal?) {
        guard let decimal else { return addNull() }
        hasher.append(decimal)
    }

    mutating func add(_ integer: Int?) {
        guard let integer else { return addNull() }
        hasher.append(Int64(integer))
    }

    mutating func addNull() { hasher.appendNull() }

    /// The version of the rows sent.
    mutating func finalize(releaseID: String) -> String {
        nameTables(through: columns.count - 1)
        return hasher.finalize(releaseID: releaseID)
    }

    private mutating func nameTables(through index: Int) {
        while hashedTables <= index {
            hasher.beginTable(CatalogRows.Table.allCases[hashedTables].name, columns: columns[hashedTables])
            hashedTables += 1
        }
    }
}

/// Takes the catalog's rows value by value from ``CatalogRows/encode(into:)`` and inserts them
/// through prepared statements; with `hashing`, it also feeds them to the version hash
/// (``CatalogVersionSink``), so that the version is computed from exactly the values written
/// (the plain way; the writer otherwise computes the version from the same rows on another core).
///
/// Rows are inserted ``batchRows`` at a time, as one `INSERT INTO t VALUES (...), (...)`
/// (``BulkInsert``): SQLite's work per statement run is then paid once per batch. The search rows
/// go in one at a time: a statement of several rows makes the full-text index write a segment per
/// statement (about fifteen instead of one, a larger file and slower searches).
///
/// Tables come in dump order (``CatalogRows/Table``); the search rows come last and are inserted
/// but not hashed (the index is derived from the `code` table).
struct CatalogRowEncoder: CatalogRowSink {
    private var version: CatalogVersionSink?
    private let db: Database
    /// Each table's column names, from the schema, in ``CatalogRows/Table`` order.
    let columns: [[String]]
    /// Rows per insert statement: within SQLite's limit of 32,766 parameters for the widest table.
    static let batchRows = 64

    /// The current table's index (`Table.allCases.count` for the search index), name and column count.
    private var table = -1
    private var tableName = ""
    private var columnCount = 0
    /// The current table's inserts of a full batch and of a last, shorter one.
    private var statements: [Int: Statement] = [:]
    /// The values of the rows not yet inserted, and their number.
    private var batch = BulkInsert()
    private var rows = 0
    /// When the current table's rows started (`RVU_TIMING` prints each table's time).
    private var tableStart = StageTiming.mark()

    init(_ db: Database, hashing: Bool) throws {
        self.db = db
        columns = try Self.columns(in: db)
        version = hashing ? CatalogVersionSink(columns: columns) : nil
    }

    /// Each table's column names in `db`, in ``CatalogRows/Table`` order.
    static func columns(in db: Database) throws -> [[String]] {
        try CatalogRows.Table.allCases.map { table in try db.columns(in: table.name).map(\.name) }
    }

    mutating func beginRow(_ table: CatalogRows.Table) throws {
        try use(table.rawValue, name: table.name, columns: columns[table.rawValue].count)
        version?.beginRow(table)
    }

    /// Starts a row of the search index, after every table's rows.
    mutating func beginSearchRow() throws {
        try use(columns.count, name: CatalogRows.searchInsertTarget, columns: 7)
    }

    mutating func endRow() throws {
        if table < columns.count { version?.endRow() }
        rows += 1
        if rows == Self.batchRows || table == columns.count { try insertRows() }
    }

    mutating func add(_ text: String) {
        if table < columns.count { version?.add(text) }
        batch.append(text)
    }

    mutating func add(_ decimal: ExactDecimal?) {
        guard let decimal else { return addNull() }
        if table < columns.count { version?.add(decimal) }
        batch.append(decimal.doubleValue)
    }

    mutating func add(_ integer: Int?) {
        guard let integer else { return addNull() }
        if table < columns.count { version?.add(integer) }
        batch.append(Int64(integer))
    }

    mutating func addNull() {
        if table < columns.count { version?.addNull() }
        batch.appendNull()
    }

    /// Inserts the rows still held and returns the version of all rows inserted when hashing.
    mutating func finish(releaseID: String) throws -> String? {
        try insertRows()
        if !tableName.isEmpty { StageTiming.report("    table \(tableName)", since: tableStart) }
        return version?.finalize(releaseID: releaseID)
    }

    /// Makes `index` the current table, inserting the previous table's last rows first.
    private mutating func use(_ index: Int, name: @autoclosure () -> String, columns count: Int) throws {
        guard index != table else { return }
        precondition(index > table, "tables come in dump order")
        try insertRows()
        if !tableName.isEmpty { StageTiming.report("    table \(tableName)", since: tableStart) }
        tableStart = StageTiming.mark()
        statements.removeAll()
        (table, tableName, columnCount) = (index, name(), count)
    }

    /// Inserts the rows held, with one statement run.
    private mutating func insertRows() throws {
        guard rows > 0 else { return }
        let statement: Statement
        if let prepared = statements[rows] {
            statement = prepared
        } else {
            let row = "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
            statement = try db.makeStatement(
                sql: "INSERT INTO \(tableName) VALUES " + Array(repeating: row, count: rows).joined(separator: ", "))
            statements[rows] = statement
        }
        try batch.run(statement)
        rows = 0
    }
}
