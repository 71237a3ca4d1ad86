import Foundation
import GRDB
import RVUCore

/// Reads a catalog file: its metadata, a code's page, its canonical dump.
public struct CatalogReader: Sendable {
    let queue: DatabaseQueue
    public let path: String

    /// Opens a catalog read-only. A file that is missing, not SQLite, or not a catalog is an error.
    public init(path: String) throws(DiagnosticError) {
        self.path = path
        do throws(DiagnosticError) {
            try RegularFile.check(path)
        } catch {
            throw DiagnosticError("catalog-read", error.diagnostic.message, at: SourceLocation(file: path))
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let version = try queue.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'schema_version'")
            }
            guard version != nil else {
                throw DiagnosticError("catalog-read", "not an rvuimport catalog (no schema_version)", at: SourceLocation(file: path))
            }
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError("catalog-read", "not an rvuimport catalog: \(error)", at: SourceLocation(file: path))
        }
    }

    /// The `catalog_meta` table.
    public func meta() throws(DiagnosticError) -> [String: String] {
        try read { db in try Self.meta(db) }
    }

    /// The `catalog_meta` table of an open catalog. A hand-edited file may repeat a key (a table
    /// without its primary key): the first row wins.
    static func meta(_ db: Database) throws -> [String: String] {
        Dictionary(
            try Row.fetchAll(db, sql: "SELECT key, value FROM catalog_meta ORDER BY rowid").map {
                (($0["key"] as String?) ?? "", ($0["value"] as String?) ?? "")
            }, uniquingKeysWith: { first, _ in first })
    }

    /// The canonical text of the catalog (see ``CatalogDump``).
    public func dump(excludingVersion: Bool = false) throws(DiagnosticError) -> String {
        try read { db in try CatalogDump.text(db, excludingVersion: excludingVersion) }
    }

    /// The catalog version recomputed from the rows (see ``CatalogHasher``): equal to the stored
    /// `catalog_version` unless the data was changed after the catalog was written.
    public func computedVersion() throws(DiagnosticError) -> String {
        try read { db in try CatalogHasher.version(of: db) }
    }

    /// Runs a read, turning database errors into diagnostics.
    public func read<T>(_ body: (Database) throws -> T) throws(DiagnosticError) -> T {
        do {
            return try queue.read(body)
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError("catalog-read", "cannot read the catalog: \(error)", at: SourceLocation(file: path))
        }
    }
}

/// Runs SQL against a catalog file, for benchmarks and tests that need a changed copy.
public enum CatalogEditor {
    public static func execute(_ path: String, sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}

/// A catalog whose content is not what the schema says (a damaged or hand-edited file).
struct CatalogReadError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
