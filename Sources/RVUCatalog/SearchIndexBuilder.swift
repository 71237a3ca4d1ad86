import Dispatch
import Foundation
import GRDB
import Synchronization

/// Builds the catalog's full-text index (`code_search`) in a database file of its own on another
/// core while the writer inserts the catalog's rows, then copies the index's tables into the
/// catalog: the one place the writer runs work in parallel.
///
/// FTS5 tokenizing the curated text is most of what a full curated corpus adds to the write
/// (about 0.25 s of CPU for RVU24B's 12 MB of text; docs/performance.md). The index's tables
/// (`code_search_data`, `_idx`, `_content`, `_docsize`, `_config`) are ordinary tables: built by
/// the same rows in the same order under the same definition, they hold the same rows as an
/// index built in the catalog itself, which `SearchIndexBuilderTests` checks against the plain
/// way (``CatalogWriter`` inserting the search rows itself).
final class SearchIndexBuilder: Sendable {
    /// The tables FTS5 keeps an index in.
    static let tables = ["data", "idx", "content", "docsize", "config"].map { "code_search_\($0)" }

    /// The file the index is built in.
    let path: String
    /// The build's outcome (nil while it runs, then an empty string or the error).
    private let outcome = Mutex<String?>(nil)
    private let finished = DispatchGroup()

    /// Starts building the index of `rows` in a new file at `path` with `definition` (the
    /// `CREATE VIRTUAL TABLE` statement of the catalog's schema).
    init(rows: CatalogRows, definition: String, path: String) {
        self.path = path
        finished.enter()
        DispatchQueue.global().async { [self] in
            let result: String
            do {
                try Self.build(rows, definition: definition, path: path)
                result = ""
            } catch {
                result = "\(error)"
            }
            outcome.withLock { $0 = result }
            finished.leave()
        }
    }

    /// Waits until the build has ended, whatever its outcome.
    func wait() { finished.wait() }

    /// Waits for the index, then replaces the catalog's empty index tables with it, through
    /// `queue` (outside a transaction: the index's file is attached for the copy).
    func copy(into queue: DatabaseQueue) throws {
        wait()
        let failure = outcome.withLock { $0 } ?? ""
        guard failure.isEmpty else { throw CatalogWriteError(message: "cannot build the search index: \(failure)") }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS search", arguments: [path])
        }
        try queue.write { db in
            for table in Self.tables {
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
            let statement = try db.makeStatement(sql: "INSERT INTO code_search VALUES (?, ?, ?, ?, ?, ?)")
            var batch = BulkInsert()
            try rows.forEachSearchRow { row in
                for value in row {
                    if let value { batch.append(value) } else { batch.appendNull() }
                }
                try batch.run(statement)
            }
        }
    }
}
