import Foundation
import GRDB
import RVUCore
import RVUMerge

/// Writes a merged catalog to one self-contained SQLite file, atomically (through a
/// ``CatalogDraft``, which the pipeline can begin and fill while the import still runs).
///
/// The file is built at a hidden temporary path beside the output (`.RVU26A.sqlite.tmp-PID`), with
/// no journal (nobody else sees it), in one transaction with batched prepared statements, flushed
/// to disk and renamed over the output only when complete. On any error the temporary files are
/// removed and the previous catalog at the output path is untouched; a writer killed midway
/// leaves a temporary file that the next writer of the output removes. Rows are inserted in key
/// order and nothing time-dependent is written, so identical inputs give identical bytes.
public enum CatalogWriter {
    /// What was written.
    public struct Result: Sendable {
        public let path: String
        public let catalogVersion: String
    }

    /// Writes `catalog` to `path`: a ``CatalogDraft`` begun, filled and completed in one go.
    public static func write(_ catalog: MergedCatalog, to path: String) throws(DiagnosticError) -> Result {
        let draft = try CatalogDraft(path: path)
        try draft.writeRecords(catalog)
        return try draft.complete(catalog)
    }

    /// Creates the schema in a new file through GRDB's migrations, then opens the file on a
    /// connection without per-call mutexes for the inserts; returns it with each table's column
    /// names. The temporary file is invisible until renamed and deleted on failure: no journal is
    /// needed while building it, and one fsync before the rename makes it durable. The page cache is
    /// small: with no journal, SQLite writes dirty pages out as it fills, so the file is not held
    /// in memory while the importer still reads the other formats beside the writer. References are
    /// checked once after loading, not row by row.
    static func createSchema(at path: String) throws -> (RawConnection, [[String]]) {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA page_size = 4096") }
        try Schema.migrator.migrate(queue)
        let columns = try queue.read { db in
            try CatalogRows.Table.allCases.map { table in try db.columns(in: table.name).map(\.name) }
        }
        try queue.close()
        let connection = try RawConnection(path: path, readOnly: false)
        try connection.execute(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -2048")
        return (connection, columns)
    }

    /// Flushes a file (or folder) to disk.
    static func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CatalogWriteError(message: "cannot open \(path) to flush it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CatalogWriteError(message: "cannot flush \(path): \(String(cString: strerror(errno)))") }
    }

    /// Removes what a killed writer left beside the output (`.NAME.tmp-PID`, its `-journal`):
    /// called with the lock held, so no other writer of this output is running.
    static func removeStaleTemporaryFiles(in folder: String, of name: String) {
        let prefix = "." + name + ".tmp-"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: folder + "/" + file)
        }
    }

    /// An exclusive advisory lock (flock) on a hidden file beside the output, held while writing.
    final class OutputLock {
        private var descriptor: Int32

        init(for lockPath: String, output: String) throws(DiagnosticError) {
            descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw DiagnosticError(
                    "catalog-write", "cannot create the lock file \(lockPath): \(String(cString: strerror(errno)))",
                    at: SourceLocation(file: output))
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                descriptor = -1
                throw DiagnosticError(
                    "catalog-busy", "another rvuimport is writing this catalog now; run again when it has finished",
                    at: SourceLocation(file: output))
            }
        }

        func release() {
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }

        deinit { release() }
    }

    /// Fails when a row of the file at `path` refers to a missing row (a code's category, a
    /// synonym's code). The file must not be open on another connection in exclusive mode.
    static func checkReferences(at path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        if let violation = try queue.read({ db in try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") }) {
            throw CatalogWriteError(
                message: "a row of \(violation[0] as DatabaseValue) refers to a missing \(violation[2] as DatabaseValue) row")
        }
    }

}

/// A failure outside SQLite while writing.
struct CatalogWriteError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
