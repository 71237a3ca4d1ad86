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
            throw DiagnosticError(.catalogRead, error.diagnostic.message, at: SourceLocation(file: path))
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let version = try queue.read { db in
                try StoredValue.fetchAll(
                    db, sql: "SELECT value FROM catalog_meta WHERE key = 'schema_version'", label: "catalog_meta schema_version"
                ).first?.decode(String?.self, atIndex: 0)
            }
            guard version != nil else {
                throw DiagnosticError(.catalogRead, "not an rvuimport catalog (no schema_version)", at: SourceLocation(file: path))
            }
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError(.catalogRead, Self.explain(error, doing: "not an rvuimport catalog"), at: SourceLocation(file: path))
        }
    }

    /// What a database error means for a catalog file, in words: a hot journal (a writer was
    /// interrupted), a damaged file, a file that is not SQLite; else `context` and the error.
    package static func explain(_ error: any Error, doing context: String) -> String {
        if let error = error as? CatalogReadError { return error.message }
        guard let error = error as? DatabaseError else { return "\(context): \(error)" }
        if error.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
            return
                "a writer was interrupted: a hot journal is beside the file (its -journal); open the file once with a writer (sqlite3) to roll it back, or restore a copy"
        }
        switch error.resultCode {
        case .SQLITE_CORRUPT: return "the file is damaged (\(error.message ?? "SQLite: corrupt")); rebuild the catalog or restore a copy"
        case .SQLITE_NOTADB: return "not an rvuimport catalog (not an SQLite database)"
        default: return "\(context): \(error)"
        }
    }

    /// The `catalog_meta` table.
    public func meta() throws(DiagnosticError) -> [String: String] {
        try read { db in try Self.meta(db) }
    }

    /// The `catalog_meta` table of the open catalog `schema` (`main`, or an attached name). A key
    /// or value that is not text, or a key given twice (a hand-edited table without its primary
    /// key), is an error: which of two `release_id`s is meant cannot be told.
    package static func meta(_ db: Database, schema: String = "main") throws -> [String: String] {
        var meta: [String: String] = [:]
        for row in try StoredValue.fetchAll(db, sql: "SELECT key, value FROM \(schema).catalog_meta", label: "catalog_meta") {
            let key: String = try row.decode(forColumn: "key")
            let value: String = try row.decode(forColumn: "value")
            guard meta.updateValue(value, forKey: key) == nil else {
                throw CatalogReadError(
                    message: "catalog_meta holds the key \(key) twice; the file was edited by hand: rebuild the catalog or restore a copy")
            }
        }
        return meta
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
            throw DiagnosticError(.catalogRead, Self.explain(error, doing: "cannot read the catalog"), at: SourceLocation(file: path))
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
package struct CatalogReadError: Error, CustomStringConvertible {
    package let message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}
