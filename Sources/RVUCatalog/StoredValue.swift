import GRDB
import GRDBSQLite

/// The values of a statement's current row, checked against what the writer stores: text is
/// valid UTF-8 without a NUL character (GRDB would cut it at the NUL or repair it), a REAL is
/// finite, and a value has its column's declared type. A hand-edited or damaged file that breaks
/// one of these is an error (``CatalogReadError``), never a value shown or compared wrongly.
package enum StoredValue {
    /// What a column's declared type lets it hold (NULL is always let through: the decoders and
    /// `NOT NULL` deal with it).
    package enum Kind: Sendable {
        case text, real, integer, any

        /// The kind of a declared column type (`TEXT`, `REAL`, `INTEGER`); `any` for others.
        package init(declared type: String) {
            switch type.uppercased() {
            case "TEXT": self = .text
            case "REAL": self = .real
            case "INTEGER": self = .integer
            default: self = .any
            }
        }
    }

    /// The declared kind of each result column of `statement`: of the table column it reads, or
    /// `any` for an expression.
    package static func kinds(_ statement: Statement) -> [Kind] {
        let sqlite = statement.sqliteStatement
        return (0..<sqlite3_column_count(sqlite)).map { column in
            sqlite3_column_decltype(sqlite, column).map { Kind(declared: String(cString: $0)) } ?? .any
        }
    }

    /// Checks every column of the statement's current row against its kind (``kinds(_:)`` of
    /// the statement). `label` names the row in the message (`rvu 99213`).
    package static func check(_ statement: Statement, kinds: [Kind], label: @autoclosure () -> String) throws {
        let sqlite = statement.sqliteStatement
        for index in 0..<Int(sqlite3_column_count(sqlite)) {
            let column = CInt(index)
            let kind = index < kinds.count ? kinds[index] : .any
            let problem: String?
            switch sqlite3_column_type(sqlite, column) {
            case SQLITE_NULL: problem = nil
            case SQLITE_INTEGER: problem = kind == .text ? "a number where text is expected" : nil
            case SQLITE_FLOAT:
                if !sqlite3_column_double(sqlite, column).isFinite {
                    problem = "a number that is not finite (\(sqlite3_column_double(sqlite, column)))"
                } else {
                    problem = kind == .text || kind == .integer ? "a REAL where \(kind == .text ? "text" : "an integer") is expected" : nil
                }
            case SQLITE_TEXT:
                let count = Int(sqlite3_column_bytes(sqlite, column))
                if let start = sqlite3_column_text(sqlite, column) {
                    let bytes = UnsafeBufferPointer(start: start, count: count)
                    // One pass for the NUL and for anything beyond ASCII; only such text is decoded
                    // to check it is UTF-8 (nearly every value is ASCII).
                    var nul = false
                    var ascii = true
                    for byte in bytes {
                        nul = nul || byte == 0
                        ascii = ascii && byte < 0x80
                    }
                    if nul {
                        problem = "text with a NUL character"
                    } else if !ascii, String(validating: bytes, as: UTF8.self) == nil {
                        problem = "text that is not valid UTF-8"
                    } else {
                        problem = kind == .real || kind == .integer ? "text where a number is expected" : nil
                    }
                } else {
                    problem = nil
                }
            default: problem = kind == .any ? nil : "a BLOB where \(kind == .text ? "text" : "a number") is expected"
            }
            if let problem {
                let name = String(cString: sqlite3_column_name(sqlite, column))
                throw CatalogReadError(
                    message: "\(label()): \(name) holds \(problem); the file was edited or damaged: rebuild the catalog or restore a copy")
            }
        }
    }

    /// The rows of a query, each checked with ``check(_:kinds:label:)``.
    package static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = [], label: String) throws -> [Row] {
        let statement = try db.makeStatement(sql: sql)
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        let columnKinds = Self.kinds(statement)
        var result: [Row] = []
        while let row = try rows.next() {
            try check(statement, kinds: columnKinds, label: label)
            result.append(row.copy())
        }
        return result
    }
}
