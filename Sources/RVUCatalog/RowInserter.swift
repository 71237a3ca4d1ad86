import GRDB
import GRDBSQLite
import RVUCore

/// A prepared INSERT bound through SQLite's C interface: no boxing of values per row.
final class RowInserter {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    private let sql: String

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw CatalogWriteError(message: "the database is closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw CatalogWriteError(message: "cannot prepare \(sql): \(String(cString: sqlite3_errmsg(connection)))")
        }
        self.connection = connection
        self.statement = statement
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds one row and runs the statement.
    func insert(_ row: [CatalogValue]) throws {
        for (offset, value) in row.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let integer): sqlite3_bind_int64(statement, index, integer)
            case .decimal(let decimal): sqlite3_bind_double(statement, index, decimal.doubleValue)
            case .text(var text):
                text.withUTF8 { bytes in
                    if let base = bytes.baseAddress, !bytes.isEmpty {
                        let characters = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                        sqlite3_bind_text(statement, index, characters, Int32(bytes.count), transient)
                    } else {
                        sqlite3_bind_text(statement, index, "", 0, transient)
                    }
                }
            }
        }
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw CatalogWriteError(message: "\(String(cString: sqlite3_errmsg(connection))) in \(sql)")
        }
    }
}

/// SQLite copies a value bound with this destructor.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
