import Dispatch
import Foundation
import GRDB
import RVUCore
import Synchronization

/// What the catalog writer hands to another core while it inserts the rows (the one place it
/// runs work in parallel): first the catalog version, hashed from the same rows
/// (``CatalogRows/version(columns:releaseID:)``), then the full-text index (`code_search`), built
/// in a database file of its own and copied into the catalog after the rows.
///
/// With a full curated corpus these are most of what the corpus adds to the write: FTS5
/// tokenizing the curated text takes about 0.2 s of CPU for RVU24B's 12 MB of text, hashing
/// every row about 0.05 s (docs/performance.md). The index's tables (`code_search_data`, `_idx`,
/// `_docsize`, `_config`; the text itself is the catalog's, schema 5) are ordinary tables: built
/// by the same rows in the same order under the same definition, they hold the same rows as an
/// index built in the catalog itself, and the version is the one the inserts would hash.
/// `CatalogSideWorkTests` checks both against the plain way (``CatalogWriter`` inserting the
/// search rows and hashing the rows itself).
final class CatalogSideWork: Sendable {
    /// The tables FTS5 keeps an index in.
    static let searchTables = ["data", "idx", "docsize", "config"].map { "code_search_\($0)" }

    /// The file the index is built in.
    let path: String
    private let version = Mutex<String?>(nil)
    /// The index build's outcome (nil while it runs, then an empty string or the error).
    private let outcome = Mutex<String?>(nil)
    private let hashed = DispatchGroup()
    private let finished = DispatchGroup()

    /// Starts hashing `rows` (whose tables have these `columns`) and then building their index in
    /// a new file at `path` with `definition` (the `CREATE VIRTUAL TABLE` statement of the
    /// catalog's schema).
    init(rows: CatalogRows, columns: [[String]], releaseID: String, definition: String, path: String) {
        self.path = path
        hashed.enter()
        finished.enter()
        DispatchQueue.global().async { [self] in
            var lap = StageTiming.mark()
            let computed = rows.version(columns: columns, releaseID: releaseID)
            version.withLock { $0 = computed }
            hashed.leave()
            StageTiming.report("  (another core) version hashed", since: lap)
            lap = StageTiming.mark()
            let result: String
            do {
                try Self.build(rows, definition: definition, path: path)
                result = ""
            } catch {
                result = "\(error)"
            }
            StageTiming.report("  (another core) search index built", since: lap)
            outcome.withLock { $0 = result }
            finished.leave()
        }
    }

    /// Waits for the version and returns it.
    func catalogVersion() -> String {
        hashed.wait()
        return version.withLock { $0 } ?? ""
    }

    /// Waits until everything has ended, whatever its outcome.
    func wait() { finished.wait() }

    /// Waits for the index, then replaces the catalog's empty index tables with it, through
    /// `queue` (outside a transaction: the index's file is attached for the copy).
    func copySearchIndex(into queue: DatabaseQueue) throws {
        wait()
        let failure = outcome.withLock { $0 } ?? ""
        guard failure.isEmpty else { throw CatalogWriteError(message: "cannot build the search index: \(failure)") }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS search", arguments: [path])
        }
        try queue.write { db in
            for table in Self.searchTables {
                try db.execute(sql: "DELETE FROM main.\(table); INSERT INTO main.\(table) SELECT * FROM search.\(table)")
            }
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "DETACH DATABASE search") }
    }

    private static func build(_ rows: CatalogRows, definition: String, path: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        }
        try queue.write { db in
            try db.execute(sql: definition)
            let statement = try db.makeStatement(sql: "INSERT INTO \(CatalogRows.searchInsertTarget) VALUES (?, ?, ?, ?, ?, ?, ?)")
            var batch = BulkInsert()
            try rows.forEachSearchRow { rowid, row in
                batch.append(Int64(rowid))
                for value in row {
                    if let value { batch.append(value) } else { batch.appendNull() }
                }
                try batch.run(statement)
            }
        }
    }
}
