import GRDBSQLite
import RVUCore

/// Inserts ``RowBatch``es through SQLite's C interface, each as one
/// `INSERT INTO table VALUES (...), (...), ...`, so that SQLite's per-statement work (transaction
/// bookkeeping, halting the VM) is paid once per batch. Text is bound from the batch's buffer
/// without a copy per value. Rows reach each table in the order of the batches.
final class RowInserter {
    private let connection: OpaquePointer
    /// Prepared statements by table and row count (the full batch, and a table's last partial one).
    private var statements: [String: OpaquePointer] = [:]

    init(_ connection: RawConnection) {
        self.connection = connection.handle
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
    }

    /// Inserts one row into a table.
    func insert(_ row: [CatalogValue], into table: String) throws {
        var batch = RowBatch(table: table, columns: row.count)
        batch.add(row)
        try insert(batch)
    }

    private func statement(_ batch: RowBatch) throws -> OpaquePointer {
        let key = "\(batch.table)/\(batch.rows)"
        if let statement = statements[key] { return statement }
        let tuple = "(" + Array(repeating: "?", count: batch.columns).joined(separator: ", ") + ")"
        let sql = "INSERT INTO \(batch.table) VALUES " + Array(repeating: tuple, count: batch.rows).joined(separator: ", ")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw CatalogWriteError(message: "cannot prepare an insert into \(batch.table): \(String(cString: sqlite3_errmsg(connection)))")
        }
        statements[key] = statement
        return statement
    }

    /// Binds and runs a batch.
    func insert(_ batch: RowBatch) throws {
        guard batch.rows > 0 else { return }
        let statement = try statement(batch)
        let code = batch.text.withUnsafeBufferPointer { bytes -> Int32 in
            // The batch's text does not change until the statement has run: bound without copies.
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            for (offset, value) in batch.values.enumerated() {
                let index = Int32(offset + 1)
                switch value {
                case .null: sqlite3_bind_null(statement, index)
                case .integer(let integer): sqlite3_bind_int64(statement, index, integer)
                case .real(let double): sqlite3_bind_double(statement, index, double)
                case .text(let start, let count):
                    if let base, count > 0 {
                        sqlite3_bind_text(statement, index, base + start, Int32(count), SQLiteText.unchanging)
                    } else {
                        sqlite3_bind_text(statement, index, "", 0, SQLiteText.transient)
                    }
                }
            }
            let code = sqlite3_step(statement)
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            return code
        }
        guard code == SQLITE_DONE else {
            throw CatalogWriteError(message: "\(String(cString: sqlite3_errmsg(connection))) inserting into \(batch.table)")
        }
    }
}
