import Foundation
import RVUCore
import RVUMerge

/// A catalog being written at a hidden temporary path beside its output, in three steps that
/// may run on different threads, one after the other:
///
///     init (lock, schema) -> writeRecords (data tables, search index) -> complete (metadata, version, rename)
///
/// The split lets the pipeline write the data tables from the authoritative members while the
/// other formats are still being read for the cross-check: the metadata tables (every member's
/// checksum and row count, the notices) come first in dump order but are known only at the end,
/// so the version hash of the data is held until they are (``CatalogHasher/append(held:)``).
/// Tables are always filled in this order, so a catalog's bytes do not depend on which thread
/// wrote what.
///
/// The output lock is held from `init` until ``complete(_:)`` or ``abandon()``; any failure, or
/// ``abandon()``, removes the temporary file and leaves the previous catalog untouched. Not for
/// concurrent use: each step must have returned before the next starts (on any thread).
public final class CatalogDraft: @unchecked Sendable {
    private let path: String
    private let folder: String
    private let temporary: String
    private let lock: CatalogWriter.OutputLock
    private var connection: RawConnection?
    /// Each table's column names, in ``CatalogRows/Table`` order.
    private var columns: [[String]] = []
    /// The encoding of the data tables for the version hash, once written.
    private var heldHash: CatalogHasher?
    private var completed = false

    /// Takes the output's lock, removes what an earlier writer left, and creates the schema.
    public init(path: String) throws(DiagnosticError) {
        let url = URL(fileURLWithPath: path)
        self.path = path
        folder = url.deletingLastPathComponent().path
        temporary = folder + "/." + url.lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(
                "catalog-write", "cannot create the output folder: \(error.localizedDescription)", at: SourceLocation(file: folder))
        }
        // One writer per output at a time: a second one is refused, not interleaved.
        lock = try CatalogWriter.OutputLock(for: folder + "/." + url.lastPathComponent + ".lock", output: path)
        // What a killed writer left (this process's own temporary name included).
        CatalogWriter.removeStaleTemporaryFiles(in: folder, of: url.lastPathComponent)
        let start = StageTiming.mark()
        try failing {
            let (connection, columns) = try CatalogWriter.createSchema(at: temporary)
            try connection.execute("BEGIN")
            self.connection = connection
            self.columns = columns
        }
        StageTiming.report("  schema", since: start)
    }

    deinit { abandon() }

    /// Inserts the rows of the data tables and the search index, in key order. Two threads: the
    /// other one orders the rows, encodes them into batches and for the version hash; this one
    /// binds and inserts the batches as they come.
    public func writeRecords(_ catalog: MergedCatalog) throws(DiagnosticError) {
        let start = StageTiming.mark()
        try failing {
            guard let connection, heldHash == nil else { throw CatalogWriteError(message: "the records were written already") }
            let channel = RowChannel()
            let columns = columns
            let (hash, _) = try runInParallel({
                let clock = StageTiming.mark()
                defer { StageTiming.report("  rows and version hash", since: clock) }
                let rows = CatalogRows(catalog)
                StageTiming.report("  order rows", since: clock)
                return Self.produceBatches(rows, columns: columns, into: channel)
            }) {
                do {
                    let inserter = RowInserter(connection)
                    while let batch = channel.receive() {
                        try inserter.insert(batch)
                        channel.recycle(batch)
                    }
                } catch {
                    channel.cancel()
                    throw error
                }
            }
            guard let hash else { throw CatalogWriteError(message: "the rows were not all generated") }
            heldHash = hash
        }
        StageTiming.report("  insert rows", since: start)
    }

    /// Inserts the metadata rows and `catalog_version`, checks references, flushes the file to
    /// disk and renames it over the output. `catalog` is the one whose records were written, with
    /// the release's final member list and notices.
    public func complete(_ catalog: MergedCatalog) throws(DiagnosticError) -> CatalogWriter.Result {
        let start = StageTiming.mark()
        let version = try failing { () throws -> String in
            guard let connection, let heldHash else { throw CatalogWriteError(message: "the records were not written first") }
            let inserter = RowInserter(connection)
            var encoder = CatalogRowEncoder(tables: CatalogRows.metadataTables, columns: columns) { batch in
                try inserter.insert(batch)
                return batch
            }
            try CatalogRows.encodeMetadata(of: catalog, into: &encoder)
            try encoder.finish()
            var hasher = encoder.hasher
            hasher.append(held: heldHash)
            let version = hasher.finalize(releaseID: catalog.release.id.shortName)
            try inserter.insert([.text("catalog_version"), .text(version)], into: "catalog_meta")
            try connection.execute("COMMIT")
            return version
        }
        // Closed (its exclusive lock released) before the references are read on another one.
        connection = nil
        try failing {
            try CatalogWriter.checkReferences(at: temporary)
            StageTiming.report("  metadata and references", since: start)
            try CatalogWriter.syncFile(temporary)
            StageTiming.report("  written and synced", since: start)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            abandon()
            throw DiagnosticError("catalog-write", "cannot move the new catalog into place: \(reason)", at: SourceLocation(file: path))
        }
        // The rename itself is durable once the folder is synced.
        try? CatalogWriter.syncFile(folder)
        completed = true
        lock.release()
        return CatalogWriter.Result(path: path, catalogVersion: version)
    }

    /// Gives up the draft: the temporary file is removed and the lock released. Nothing happens
    /// once the draft is complete.
    public func abandon() {
        guard !completed else { return }
        connection = nil
        removeTemporaryFiles()
        lock.release()
    }

    private func removeTemporaryFiles() {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
    }

    /// Runs a step; on failure the draft is abandoned and the error says the previous catalog is
    /// untouched.
    private func failing<T>(_ body: () throws -> T) throws(DiagnosticError) -> T {
        do {
            return try body()
        } catch {
            abandon()
            throw DiagnosticError(
                "catalog-write", "cannot write the catalog: \(error); the previous catalog is untouched", at: SourceLocation(file: path))
        }
    }

    /// Generates the data rows in order, encodes them for the version hash (held) and sends them
    /// to `channel` in batches, the search rows last; returns the hash, or nil once the consumer
    /// has cancelled.
    static func produceBatches(_ rows: CatalogRows, columns: [[String]], into channel: RowChannel) -> CatalogHasher? {
        struct Cancelled: Error {}
        defer { channel.finish() }
        var encoder = CatalogRowEncoder(tables: CatalogRows.recordTables, columns: columns, holding: true) { batch in
            guard channel.send(batch) else { throw Cancelled() }
            return channel.emptyBatch(table: batch.table, columns: batch.columns)
        }
        do {
            try rows.encodeRecords(into: &encoder)
            try encoder.finish()
        } catch {
            return nil
        }
        return encoder.hasher
    }
}
