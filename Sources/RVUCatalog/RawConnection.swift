import GRDBSQLite

/// A SQLite connection opened in multi-thread mode (no mutex per call), for the hot loop of the
/// writer; GRDB serves everything else.
final class RawConnection {
    let handle: OpaquePointer
    let path: String

    init(path: String, readOnly: Bool) throws {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(code)"
            sqlite3_close(handle)
            throw CatalogReadError(message: "cannot open \(path): \(message)")
        }
        self.handle = handle
        self.path = path
        // Transient locks (another connection recovering a WAL index, a writer committing) are
        // waited for, not reported as errors.
        sqlite3_busy_timeout(handle, 5000)
    }

    /// Closed once its last statement is finalized (`sqlite3_close_v2`).
    deinit { sqlite3_close_v2(handle) }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw CatalogReadError(message: "\(message) in \(sql)")
        }
    }
}

/// A failure reading a catalog outside GRDB's own errors.
struct CatalogReadError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// How SQLite treats text bound to a statement.
enum SQLiteText {
    /// SQLite copies the text.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// SQLite uses the text in place: it must outlive the statement's run.
    static let unchanging = unsafeBitCast(0, to: sqlite3_destructor_type.self)
}
