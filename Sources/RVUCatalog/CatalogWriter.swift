import Foundation
import GRDB
import RVUCore
import RVUMerge

/// Writes a merged catalog to one self-contained SQLite file, atomically.
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

    public static func write(_ catalog: MergedCatalog, to path: String) throws(DiagnosticError) -> Result {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        func cleanUp() {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(
                "catalog-write", "cannot create the output folder: \(error.localizedDescription)", at: SourceLocation(file: folder))
        }
        // One writer per output at a time: a second one is refused, not interleaved.
        let lock = try OutputLock(for: folder + "/." + url.lastPathComponent + ".lock", output: path)
        defer { lock.release() }
        cleanUp()
        removeStaleTemporaryFiles(in: folder, of: url.lastPathComponent)
        let version: String
        let start = StageTiming.mark()
        do {
            // Two threads. The other one orders the rows, waits for the column names, then
            // generates every row, hashes it for the version and encodes it in batches. This one
            // creates the schema meanwhile, then binds and inserts the batches as they come.
            let channel = RowChannel()
            let columnsReady = Handoff<[[String]]>()
            let connection: RawConnection
            (version, connection) = try runInParallel({
                let clock = StageTiming.mark()
                defer { StageTiming.report("  rows and version hash", since: clock) }
                let rows = CatalogRows(catalog)
                StageTiming.report("  order rows", since: clock)
                guard let columns = columnsReady.take() else {
                    channel.finish()
                    return ""
                }
                return produceBatches(rows, columns: columns, into: channel)
            }) {
                do {
                    let (connection, columns) = try createSchema(at: temporary)
                    StageTiming.report("  schema", since: start)
                    columnsReady.put(columns)
                    let clock = StageTiming.mark()
                    defer { StageTiming.report("  insert rows", since: clock) }
                    try connection.execute("BEGIN")
                    let inserter = RowInserter(connection)
                    while let batch = channel.receive() {
                        try inserter.insert(batch)
                        channel.recycle(batch)
                    }
                    try connection.execute("COMMIT")
                    return connection
                } catch {
                    columnsReady.cancel()
                    channel.cancel()
                    throw error
                }
            }
            let clock = StageTiming.mark()
            try RowInserter(connection).insert([.text("catalog_version"), .text(version)], into: "catalog_meta")
            try checkReferences(connection)
            StageTiming.report("  references checked", since: clock)
            try syncFile(temporary)
            StageTiming.report("  written and synced", since: clock)
        } catch {
            cleanUp()
            throw DiagnosticError(
                "catalog-write", "cannot write the catalog: \(error); the previous catalog is untouched", at: SourceLocation(file: path))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            cleanUp()
            throw DiagnosticError("catalog-write", "cannot move the new catalog into place: \(reason)", at: SourceLocation(file: path))
        }
        // The rename itself is durable once the folder is synced.
        try? syncFile(folder)
        return Result(path: path, catalogVersion: version)
    }

    /// Creates the schema in a new file through GRDB's migrations, then opens the file on a
    /// connection without per-call mutexes for the inserts; returns it with each table's column
    /// names. The temporary file is invisible until renamed and deleted on failure: no journal is
    /// needed while building it, and one fsync before the rename makes it durable. References are
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
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536")
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

    /// Generates every row in order, hashes it for `catalog_version` (see ``CatalogHasher``) and
    /// sends it to `channel` in batches, the search rows last; returns the version. Stops sending
    /// (and returns an empty version) once the consumer has cancelled.
    static func produceBatches(_ rows: CatalogRows, columns: [[String]], into channel: RowChannel) -> String {
        struct Cancelled: Error {}
        var hasher = CatalogHasher()
        // Every table is named, also one without rows, as when reading a finished catalog back.
        let tables = CatalogRows.Table.allCases
        var next = 0
        func begin(through table: Int) {
            while next <= table {
                hasher.beginTable(tables[next].name, columns: columns[next])
                next += 1
            }
        }
        var batch = channel.emptyBatch(table: "", columns: 0)
        var batchTable = -1
        func send() throws {
            guard batch.rows > 0 else { return }
            guard channel.send(batch) else { throw Cancelled() }
            batch = channel.emptyBatch(table: batch.table, columns: batch.columns)
        }
        // The table's name is looked up only when the table changes, not for every row.
        func add(_ row: [CatalogValue], table: Int, name: @autoclosure () -> String, columns: Int) throws {
            if table != batchTable {
                try send()
                batch.reset(table: name(), columns: columns)
                batchTable = table
            }
            batch.add(row)
            if batch.isFull { try send() }
        }
        do {
            try rows.forEach { table, row in
                begin(through: table.rawValue)
                hasher.addRow(row)
                try add(row, table: table.rawValue, name: table.name, columns: table.columns)
            }
            begin(through: tables.count - 1)
            try rows.forEachSearchRow { row in try add(row, table: tables.count, name: "code_search", columns: 6) }
            try send()
        } catch {
            channel.finish()
            return ""
        }
        channel.finish()
        return hasher.finalize(releaseID: rows.catalog.release.id.shortName)
    }

    /// Fails when a row refers to a missing row (a code's category, a synonym's code).
    static func checkReferences(_ connection: RawConnection) throws {
        let violations = try RowCursor(connection, sql: "PRAGMA foreign_key_check")
        if violations.hasRow {
            throw CatalogWriteError(message: "a row of \(violations.value(0)) refers to a missing \(violations.value(2)) row")
        }
    }

}

/// A failure outside SQLite while writing.
struct CatalogWriteError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
