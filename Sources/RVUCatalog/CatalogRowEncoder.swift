import RVUCore

/// Takes the catalog's rows value by value from ``CatalogRows/encode(into:)`` and encodes each
/// value twice as it comes: into the ``RowBatch`` that the inserting thread binds, and into the
/// version hash (``CatalogHasher``). No row is built as an array of values first: for the 76,000
/// rows of a release that allocation and the copies of its strings cost as much as the encoding.
///
/// An encoder covers a run of tables (``CatalogRows/Table``) in dump order. Full batches go to
/// `send`; a table's batch is sent when the next table starts. Search rows are inserted but not
/// hashed (the index is derived from the `code` table).
struct CatalogRowEncoder {
    private(set) var hasher: CatalogHasher
    private var batch: RowBatch
    /// Takes a batch to insert and gives back an empty one to fill.
    private let send: (RowBatch) throws -> RowBatch
    /// Each table's column names, from the schema, in ``CatalogRows/Table`` order.
    private let columns: [[String]]
    private let tables: Range<Int>
    /// The tables named in the hash so far, and the table of the current batch (-1: none yet).
    private var hashedTables: Int
    private var batchTable = -1
    private var hashing = true

    /// An encoder of the rows of `tables` (``CatalogRows/Table`` raw values), whose hasher holds its encoding when `holding`
    /// (see ``CatalogHasher/append(held:)``).
    init(
        tables: Range<Int>, columns: [[String]], holding: Bool = false,
        send: @escaping (RowBatch) throws -> RowBatch
    ) {
        self.tables = tables
        self.columns = columns
        self.send = send
        hasher = CatalogHasher(holding: holding)
        hashedTables = tables.lowerBound
        batch = RowBatch(table: "", columns: 0)
    }

    /// Starts a row of `table`; tables come in ``CatalogRows/Table`` order.
    mutating func beginRow(_ table: CatalogRows.Table) throws {
        precondition(tables.contains(table.rawValue), "a row of a table this encoder does not cover")
        nameTables(through: table.rawValue)
        hashing = true
        try useBatch(of: table.rawValue, name: table.name, columns: table.columns)
        hasher.beginRow()
    }

    /// Starts a row of the search index, after every table's rows.
    mutating func beginSearchRow() throws {
        nameTables(through: tables.upperBound - 1)
        hashing = false
        try useBatch(of: tables.upperBound, name: "code_search", columns: 6)
    }

    mutating func endRow() throws {
        if hashing { hasher.endRow() }
        batch.endRow()
        if batch.isFull { try sendBatch() }
    }

    mutating func add(_ text: String) {
        if hashing { hasher.append(text) }
        batch.append(text)
    }

    mutating func add(_ text: String?) {
        guard let text else { return addNull() }
        add(text)
    }

    mutating func add(_ decimal: ExactDecimal?) {
        guard let decimal else { return addNull() }
        if hashing { hasher.append(decimal) }
        batch.append(decimal.doubleValue)
    }

    mutating func add(_ integer: Int) {
        if hashing { hasher.append(Int64(integer)) }
        batch.append(Int64(integer))
    }

    mutating func add(_ flag: Bool) { add(flag ? 1 : 0) }

    private mutating func addNull() {
        if hashing { hasher.appendNull() }
        batch.appendNull()
    }

    /// Sends what is left. Every table is named in the hash, also one without rows, as when
    /// reading a finished catalog back.
    mutating func finish() throws {
        nameTables(through: tables.upperBound - 1)
        try sendBatch()
    }

    private mutating func nameTables(through table: Int) {
        while hashedTables <= table {
            hasher.beginTable(CatalogRows.Table.allCases[hashedTables].name, columns: columns[hashedTables])
            hashedTables += 1
        }
    }

    /// Makes the batch one of `table`'s, sending the previous table's rows first. The table's
    /// name is looked up only when the table changes, not for every row.
    private mutating func useBatch(of table: Int, name: @autoclosure () -> String, columns: Int) throws {
        guard table != batchTable else { return }
        try sendBatch()
        batch.reset(table: name(), columns: columns)
        batchTable = table
    }

    private mutating func sendBatch() throws {
        guard batch.rows > 0 else { return }
        let (table, columns) = (batch.table, batch.columns)
        batch = try send(batch)
        batch.reset(table: table, columns: columns)
    }
}
