import Foundation
import GRDB
import GRDBSQLite

/// A query stepped through SQLite's C interface on a ``RawConnection``, for scans that compare millions of values
/// without converting each one: columns are read in place and compared byte for byte.
final class RowCursor {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    /// False once the last row has been passed.
    private(set) var hasRow = false

    init(_ connection: RawConnection, sql: String, arguments: [String] = []) throws {
        let connection = connection.handle
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw CatalogReadError(message: "cannot prepare \(sql): \(String(cString: sqlite3_errmsg(connection)))")
        }
        self.connection = connection
        self.statement = statement
        for (index, argument) in arguments.enumerated() {
            sqlite3_bind_text(statement, Int32(index + 1), argument, -1, SQLiteText.transient)
        }
        try step()
    }

    deinit { sqlite3_finalize(statement) }

    /// Moves to the next row.
    func step() throws {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: hasRow = true
        case SQLITE_DONE: hasRow = false
        default: throw CatalogReadError(message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// The value of a column of the current row.
    func value(_ column: Int) -> DatabaseValue {
        let index = Int32(column)
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return sqlite3_column_int64(statement, index).databaseValue
        case SQLITE_FLOAT: return sqlite3_column_double(statement, index).databaseValue
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, index) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, index))
            return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self).databaseValue
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_blob(statement, index) else { return Data().databaseValue }
            return Data(bytes: bytes, count: count).databaseValue
        default: return .null
        }
    }

    /// How column `column` of this row orders against the same column of `other`'s row, in
    /// SQLite's order for key columns: NULL first, numbers by value, then text and blobs by bytes.
    func order(_ column: Int, against other: RowCursor) -> Int {
        let index = Int32(column)
        let left = sqlite3_column_type(statement, index)
        let right = sqlite3_column_type(other.statement, index)
        if left == SQLITE_TEXT, right == SQLITE_TEXT { return compareText(other, index) }
        let (leftRank, rightRank) = (Self.rank(left), Self.rank(right))
        if leftRank != rightRank { return leftRank < rightRank ? -1 : 1 }
        switch left {
        case SQLITE_NULL: return 0
        case SQLITE_INTEGER where right == SQLITE_INTEGER:
            let (a, b) = (sqlite3_column_int64(statement, index), sqlite3_column_int64(other.statement, index))
            return a == b ? 0 : a < b ? -1 : 1
        case SQLITE_INTEGER, SQLITE_FLOAT:
            let (a, b) = (sqlite3_column_double(statement, index), sqlite3_column_double(other.statement, index))
            return a == b ? 0 : a < b ? -1 : 1
        default: return compareBlob(other, index)
        }
    }

    /// True when column `column` holds the same value in both rows (SQL's `IS`), with one call
    /// per side for the type and one for the value.
    func same(_ column: Int, as other: RowCursor) -> Bool {
        let index = Int32(column)
        let left = sqlite3_column_type(statement, index)
        let right = sqlite3_column_type(other.statement, index)
        if left != right {
            guard Self.rank(left) == 1, Self.rank(right) == 1 else { return false }
            return sqlite3_column_double(statement, index) == sqlite3_column_double(other.statement, index)
        }
        switch left {
        case SQLITE_TEXT: return compareText(other, index) == 0
        case SQLITE_FLOAT: return sqlite3_column_double(statement, index) == sqlite3_column_double(other.statement, index)
        case SQLITE_INTEGER: return sqlite3_column_int64(statement, index) == sqlite3_column_int64(other.statement, index)
        case SQLITE_NULL: return true
        default: return compareBlob(other, index) == 0
        }
    }

    /// True when column `column` holds exactly this text.
    func text(_ column: Int, equals expected: String) -> Bool {
        let index = Int32(column)
        guard sqlite3_column_type(statement, index) == SQLITE_TEXT, let text = sqlite3_column_text(statement, index) else {
            return false
        }
        let count = Int(sqlite3_column_bytes(statement, index))
        var expected = expected
        return expected.withUTF8 { bytes in
            guard bytes.count == count else { return false }
            guard count > 0, let base = bytes.baseAddress else { return true }
            return memcmp(text, base, count) == 0
        }
    }

    private static func rank(_ type: Int32) -> Int {
        switch type {
        case SQLITE_NULL: 0
        case SQLITE_INTEGER, SQLITE_FLOAT: 1
        case SQLITE_TEXT: 2
        default: 3
        }
    }

    private func compareText(_ other: RowCursor, _ index: Int32) -> Int {
        // The text first, then its length (SQLite's documented order of calls).
        let a = sqlite3_column_text(statement, index)
        let countA = Int(sqlite3_column_bytes(statement, index))
        let b = sqlite3_column_text(other.statement, index)
        let countB = Int(sqlite3_column_bytes(other.statement, index))
        return Self.compare(UnsafeRawPointer(a), countA, UnsafeRawPointer(b), countB)
    }

    private func compareBlob(_ other: RowCursor, _ index: Int32) -> Int {
        let a = sqlite3_column_blob(statement, index)
        let countA = Int(sqlite3_column_bytes(statement, index))
        let b = sqlite3_column_blob(other.statement, index)
        let countB = Int(sqlite3_column_bytes(other.statement, index))
        return Self.compare(a, countA, b, countB)
    }

    private static func compare(_ a: UnsafeRawPointer?, _ countA: Int, _ b: UnsafeRawPointer?, _ countB: Int) -> Int {
        let shared = min(countA, countB)
        if shared > 0, let a, let b {
            let result = memcmp(a, b, shared)
            if result != 0 { return result < 0 ? -1 : 1 }
        }
        return countA == countB ? 0 : countA < countB ? -1 : 1
    }
}

/// A failure reading a catalog outside GRDB's own errors.
struct CatalogReadError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
