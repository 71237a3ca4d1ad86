import GRDBSQLite
import RVUCore

/// Inserts rows into one table through SQLite's C interface, many rows per statement.
///
/// Rows are buffered and written as one `INSERT ... VALUES (...), (...), ...` of up to
/// ``batchRows`` rows, so SQLite's per-statement work (transaction bookkeeping, halting the VM)
/// is paid once per batch. Text is copied into one buffer per batch and bound without a copy
/// per value. ``finish()`` writes what remains; rows reach the table in the order given.
final class RowInserter {
    /// Rows per statement: within SQLite's limit of 32,766 parameters for the widest table.
    static let batchRows = 64

    private let connection: OpaquePointer
    private let table: String
    private let columns: Int
    /// Prepared statements by row count (the full batch, and the last partial one).
    private var statements: [Int: OpaquePointer] = [:]
    private var batch = Batch()

    private enum Value {
        case null
        case integer(Int64)
        case real(Double)
        case text(start: Int, count: Int)
    }

    /// The buffered rows: one value type, so that adding a row is one access to the inserter's
    /// state rather than one per value.
    private struct Batch {
        /// The buffered values; text as a range of `text`.
        var values: [Value] = []
        var text: [UInt8] = []
        var rows = 0

        mutating func add(_ row: [CatalogValue]) {
            for value in row {
                switch value {
                case .null: values.append(.null)
                case .integer(let integer): values.append(.integer(integer))
                case .decimal(let decimal): values.append(.real(decimal.doubleValue))
                case .text(let string):
                    let start = text.count
                    if string.utf8.withContiguousStorageIfAvailable({ text.append(contentsOf: $0) }) == nil {
                        text.append(contentsOf: string.utf8)
                    }
                    values.append(.text(start: start, count: text.count - start))
                }
            }
            rows += 1
        }

        mutating func clear() {
            values.removeAll(keepingCapacity: true)
            text.removeAll(keepingCapacity: true)
            rows = 0
        }
    }

    init(_ connection: RawConnection, table: String, columns: Int) {
        self.connection = connection.handle
        self.table = table
        self.columns = columns
        batch.values.reserveCapacity(columns * Self.batchRows)
        batch.text.reserveCapacity(1 << 16)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
    }

    /// Buffers one row; writes a batch when it is full.
    func insert(_ row: [CatalogValue]) throws {
        batch.add(row)
        if batch.rows == Self.batchRows { try flush() }
    }

    /// Writes the buffered rows.
    func finish() throws { try flush() }

    private func statement(rows count: Int) throws -> OpaquePointer {
        if let statement = statements[count] { return statement }
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let sql = "INSERT INTO \(table) VALUES " + Array(repeating: tuple, count: count).joined(separator: ", ")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw CatalogWriteError(message: "cannot prepare an insert into \(table): \(String(cString: sqlite3_errmsg(connection)))")
        }
        statements[count] = statement
        return statement
    }

    private func flush() throws {
        guard batch.rows > 0 else { return }
        let statement = try statement(rows: batch.rows)
        let values = batch.values
        let code = batch.text.withUnsafeBufferPointer { bytes -> Int32 in
            // The text buffer does not change until the statement has run: bound without copies.
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            for (offset, value) in values.enumerated() {
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
        batch.clear()
        guard code == SQLITE_DONE else {
            throw CatalogWriteError(message: "\(String(cString: sqlite3_errmsg(connection))) inserting into \(table)")
        }
    }
}
