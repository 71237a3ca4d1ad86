import GRDB
import RVUCore

/// Takes the catalog's rows value by value from ``CatalogRows/encode(into:)``, inserts them
/// through prepared statements and feeds them to the version hash (``CatalogHasher``), so the
/// version is computed from exactly the values written.
///
/// Rows are inserted ``batchRows`` at a time, as one `INSERT INTO t VALUES (...), (...)`
/// (``BulkInsert``): SQLite's work per statement run is then paid once per batch. The search rows
/// go in one at a time: a statement of several rows makes the full-text index write a segment per
/// statement (about fifteen instead of one, a larger file and slower searches).
///
/// Tables come in dump order (``CatalogRows/Table``); the search rows come last and are inserted
/// but not hashed (the index is derived from the `code` table).
struct CatalogRowEncoder {
    private var hasher = CatalogHasher()
    private let db: Database
    /// Each table's column names, from the schema, in ``CatalogRows/Table`` order.
    private let columns: [[String]]
    /// Rows per insert statement: within SQLite's limit of 32,766 parameters for the widest table.
    static let batchRows = 64

    /// The current table's index (`Table.allCases.count` for the search index), name and column count.
    private var table = -1
    private var tableName = ""
    private var columnCount = 0
    /// The current table's inserts of a full batch and of a last, shorter one.
    private var statements: [Int: Statement] = [:]
    /// The tables named in the hash so far.
    private var hashedTables = 0
    /// The values of the rows not yet inserted, and their number.
    private var batch = BulkInsert()
    private var rows = 0
    /// When the current table's rows started (`RVU_TIMING` prints each table's time).
    private var tableStart = StageTiming.mark()

    init(_ db: Database) throws {
        self.db = db
        columns = try CatalogRows.Table.allCases.map { table in try db.columns(in: table.name).map(\.name) }
    }

    /// Starts a row of `table`; tables come in ``CatalogRows/Table`` order.
    mutating func beginRow(_ table: CatalogRows.Table) throws {
        try use(table.rawValue, name: table.name, columns: columns[table.rawValue].count)
        hasher.beginRow()
    }

    /// Starts a row of the search index, after every table's rows.
    mutating func beginSearchRow() throws {
        try use(columns.count, name: "code_search", columns: 6)
    }

    mutating func endRow() throws {
        if table < columns.count { hasher.endRow() }
        rows += 1
        if rows == Self.batchRows || table == columns.count { try insertRows() }
    }

    mutating func add(_ text: String) {
        if table < columns.count { hasher.append(text) }
        batch.append(text)
    }

    mutating func add(_ text: String?) {
        guard let text else { return addNull() }
        add(text)
    }

    mutating func add(_ decimal: ExactDecimal?) {
        guard let decimal else { return addNull() }
        if table < columns.count { hasher.append(decimal) }
        batch.append(decimal.doubleValue)
    }

    mutating func add(_ integer: Int?) {
        guard let integer else { return addNull() }
        if table < columns.count { hasher.append(Int64(integer)) }
        batch.append(Int64(integer))
    }

    mutating func add(_ flag: Bool) { add(flag ? 1 : 0) }

    private mutating func addNull() {
        if table < columns.count { hasher.appendNull() }
        batch.appendNull()
    }

    /// Inserts the rows still held and returns the version of all rows inserted. Every table is
    /// named in the hash, also one without rows, as when reading a finished catalog back.
    mutating func finish(releaseID: String) throws -> String {
        try insertRows()
        if !tableName.isEmpty { StageTiming.report("    table \(tableName)", since: tableStart) }
        nameTables(through: columns.count - 1)
        return hasher.finalize(releaseID: releaseID)
    }

    /// Makes `index` the current table, inserting the previous table's last rows first.
    private mutating func use(_ index: Int, name: @autoclosure () -> String, columns count: Int) throws {
        guard index != table else { return }
        precondition(index > table, "tables come in dump order")
        try insertRows()
        if !tableName.isEmpty { StageTiming.report("    table \(tableName)", since: tableStart) }
        tableStart = StageTiming.mark()
        nameTables(through: min(index, columns.count - 1))
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

    private mutating func nameTables(through index: Int) {
        while hashedTables <= index {
            hasher.beginTable(CatalogRows.Table.allCases[hashedTables].name, columns: columns[hashedTables])
            hashedTables += 1
        }
    }
}
