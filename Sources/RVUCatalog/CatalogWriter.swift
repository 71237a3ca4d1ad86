import Foundation
import GRDB
import RVUCore
import RVUMerge

/// Writes a merged catalog to one self-contained SQLite file, atomically.
///
///     lock -> schema (migrations) -> rows in key order (hashed meanwhile) -> catalog_version -> fsync -> rename
///
/// The file is built at a hidden temporary path beside the output (`.RVU26A.sqlite.tmp-PID`),
/// with no journal (nobody else sees it), in one transaction of prepared statements; it is flushed
/// to disk and renamed over the output only when complete. On any error the temporary file is
/// removed and the previous catalog at the output path is untouched; a writer killed midway
/// leaves a temporary file that the next writer of the output removes. While it writes, a writer
/// holds an exclusive lock on `.RVU26A.sqlite.lock` beside the output, so a second writer of the
/// same output is refused instead of racing. Rows are inserted in key order and nothing
/// time-dependent is written, so identical inputs give identical bytes.
public enum CatalogWriter {
    /// What was written.
    public struct Result: Sendable {
        public let path: String
        public let catalogVersion: String
    }

    /// Writes `catalog` to `path`. A file already there is replaced only when it is a catalog, or
    /// when `replacingAnyFile`; a folder or anything but a regular file never is.
    public static func write(_ catalog: MergedCatalog, to path: String, replacingAnyFile: Bool = false) throws(DiagnosticError) -> Result {
        try write(catalog, to: path, replacingAnyFile: replacingAnyFile, sideWork: true)
    }

    /// The same; the version hashed and the search index built by the writer itself when
    /// `sideWork` is false (the plain way, which `CatalogSideWorkTests` compares with).
    package static func write(
        _ catalog: MergedCatalog, to path: String, replacingAnyFile: Bool, sideWork: Bool
    ) throws(DiagnosticError) -> Result {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let temporary = folder + "/." + name + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(
                .catalogWrite, "cannot create the output folder: \(error.localizedDescription)", at: SourceLocation(file: folder))
        }
        var lap = StageTiming.mark()
        let lock = try OutputLock(for: folder + "/." + name + ".lock", output: path)
        defer { lock.release() }
        try checkReplaceable(path, replacingAnyFile: replacingAnyFile)
        // What a killed writer left (this process's own temporary name included).
        removeStaleTemporaryFiles(in: folder, of: name)
        StageTiming.report("  output checked", since: lap)
        let version: String
        do {
            version = try fill(temporary, with: catalog, sideWork: sideWork)
            let start = StageTiming.mark()
            try syncFile(temporary)
            StageTiming.report("  flush to disk", since: start)
        } catch {
            removeTemporaryFiles(temporary)
            throw DiagnosticError(
                .catalogWrite, "cannot write the catalog: \(error); the previous catalog is untouched", at: SourceLocation(file: path))
        }
        lap = StageTiming.mark()
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTemporaryFiles(temporary)
            throw DiagnosticError(.catalogWrite, "cannot move the new catalog into place: \(reason)", at: SourceLocation(file: path))
        }
        // The rename itself is durable once the folder is synced.
        try? syncFile(folder)
        StageTiming.report("  moved into place", since: lap)
        return Result(path: path, catalogVersion: version)
    }

    /// Creates the schema in a new file through the migrations, inserts every row in one
    /// transaction and returns the catalog version. References hold by construction (a code's
    /// lists are rows of the code itself, every code's category has its row), so foreign keys
    /// are not checked while writing: the tests check every catalog they build
    /// (`PRAGMA foreign_key_check`), the check costing 30 ms a run. With `sideWork`, the version is hashed and the search index built meanwhile
    /// on another core (``CatalogSideWork``; the index in a file of its own, `PATH-search`, copied
    /// in after the rows); without, the writer does both itself (the plain way).
    private static func fill(_ path: String, with catalog: MergedCatalog, sideWork apart: Bool) throws -> String {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        }
        var lap = StageTiming.mark()
        try Schema.migrator.migrate(queue)
        let rows = CatalogRows(catalog)
        let releaseID = catalog.release.id.shortName
        StageTiming.report("  schema", since: lap)
        var side: CatalogSideWork?
        if apart {
            let (definition, columns) = try queue.read { db in
                (
                    try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'code_search'"),
                    try CatalogRowEncoder.columns(in: db)
                )
            }
            guard let definition else { throw CatalogWriteError(message: "the schema has no search index") }
            side = CatalogSideWork(rows: rows, columns: columns, releaseID: releaseID, definition: definition, path: path + "-search")
        }
        defer {
            if let side {
                side.wait()
                try? FileManager.default.removeItem(atPath: side.path)
            }
        }
        lap = StageTiming.mark()
        let version = try queue.write { db in
            var encoder = try CatalogRowEncoder(db, hashing: side == nil)
            try rows.encode(into: &encoder)
            if side == nil { try rows.encodeSearchRows(into: &encoder) }
            let hashed = try encoder.finish(releaseID: releaseID)
            StageTiming.report("  rows inserted", since: lap)
            lap = StageTiming.mark()
            let version = hashed ?? side?.catalogVersion() ?? ""
            StageTiming.report("  waiting for the version", since: lap)
            lap = StageTiming.mark()
            try db.execute(sql: "INSERT INTO catalog_meta VALUES ('catalog_version', ?)", arguments: [version])
            return version
        }
        StageTiming.report("  committed", since: lap)
        startWritingBack(path)
        if let side {
            lap = StageTiming.mark()
            side.wait()
            StageTiming.report("  waiting for the search index", since: lap)
            lap = StageTiming.mark()
            try side.copySearchIndex(into: queue)
            StageTiming.report("  search index copied in", since: lap)
        }
        return version
    }

    /// Refuses an output path that holds a folder, a FIFO or device, or (unless `replacingAnyFile`)
    /// a file that is not a catalog: a mistyped --output must not destroy another file.
    static func checkReplaceable(_ path: String, replacingAnyFile: Bool) throws(DiagnosticError) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "something other than a file (a pipe, socket or device)"
            throw DiagnosticError(
                .catalogWrite, "\(what) is at the output path; choose another --output", at: SourceLocation(file: path))
        }
        guard !replacingAnyFile else { return }
        do throws(DiagnosticError) {
            _ = try CatalogReader(path: path)
        } catch {
            throw DiagnosticError(
                .outputNotCatalog,
                "the file at the output path is not an rvuimport catalog, so it was left as it is; choose another --output, or pass --force to replace it",
                at: SourceLocation(file: path))
        }
    }

    /// Asks the kernel to start writing the file's pages to disk now, without waiting (Linux:
    /// `posix_fadvise(DONTNEED)` starts writeback of the dirty pages), so that the final flush
    /// has less left to wait for: about 40 ms less for RVU24B with its full curated corpus.
    static func startWritingBack(_ path: String) {
        #if os(Linux)
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return }
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
            close(descriptor)
        #endif
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

    private static func removeTemporaryFiles(_ temporary: String) {
        for suffix in ["", "-journal", "-wal", "-shm", "-search"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
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
                    .catalogWrite, "cannot create the lock file \(lockPath): \(String(cString: strerror(errno)))",
                    at: SourceLocation(file: output))
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                descriptor = -1
                throw DiagnosticError(
                    .catalogBusy, "another rvuimport is writing this catalog now; run again when it has finished",
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
}

/// A failure outside SQLite while writing.
struct CatalogWriteError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
