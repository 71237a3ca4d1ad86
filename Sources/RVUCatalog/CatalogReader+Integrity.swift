import GRDB
import RVUCore

extension CatalogReader {
    /// SQLite's `PRAGMA integrity_check` of the whole file: `ok`, or its first finding.
    public func integrityCheck() throws(DiagnosticError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }
}
