import GRDB
import GRDBSQLite

/// The values of rows to insert with one statement run, bound through SQLite's C interface to a
/// statement GRDB prepared. The one place the writers (of catalogs and of histories) go below
/// GRDB: building GRDB's `StatementArguments` for each batch (an array of existentials mapped to
/// another array) cost more than SQLite's own insert work, and took the whole default run on a
/// real release from about 0.4 s to 0.75 s (`history add`: see docs/performance.md). Text is
/// bound from one byte buffer without a copy per value.
package struct BulkInsert {
    private enum Value {
        case null
        case integer(Int64)
        case real(Double)
        case text(start: Int, count: Int)
    }

    private var values: [Value] = []
    private var text: [UInt8] = []

    package init() {}

    package var isEmpty: Bool { values.isEmpty }

    package mutating func appendNull() { values.append(.null) }

    package mutating func append(_ integer: Int64) { values.append(.integer(integer)) }

    package mutating func append(_ double: Double) { values.append(.real(double)) }

    package mutating func append(_ string: String) {
        let start = text.count
        var string = string
        string.withUTF8 { text.append(contentsOf: $0) }
        values.append(.text(start: start, count: text.count - start))
    }

    /// Binds the values to `statement`'s parameters, in order, runs it once and empties the batch.
    /// The statement must have exactly as many parameters as there are values.
    package mutating func run(_ statement: Statement) throws {
        let handle = statement.sqliteStatement
        precondition(Int(sqlite3_bind_parameter_count(handle)) == values.count, "a batch must fill its statement")
        let code = text.withUnsafeBufferPointer { bytes -> Int32 in
            // The text does not change until the statement has run: bound in place.
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            for (offset, value) in values.enumerated() {
                let index = Int32(offset + 1)
                switch value {
                case .null: sqlite3_bind_null(handle, index)
                case .integer(let integer): sqlite3_bind_int64(handle, index, integer)
                case .real(let double): sqlite3_bind_double(handle, index, double)
                case .text(let start, let count):
                    if let base, count > 0 {
                        sqlite3_bind_text(handle, index, base + start, Int32(count), nil)
                    } else {
                        sqlite3_bind_text(handle, index, "", 0, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                    }
                }
            }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            return code
        }
        values.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        guard code == SQLITE_DONE else {
            let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
            throw CatalogWriteError(message: "\(message) in \(statement.sql.prefix(60))...")
        }
    }
}
