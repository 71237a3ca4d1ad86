import Foundation
import GRDB
import RVUCatalog
import RVUCore

/// Reads and writes history files. A write builds the whole file under a temporary name beside
/// the output and renames it into place: a failure leaves the previous history as it was, and
/// the same timeline always gives the same bytes (rows inserted in key order, no clock).
public enum HistoryStore {
    /// Loads the whole timeline of the history at `path`.
    public static func load(_ path: String) throws(DiagnosticError) -> HistoryTimeline {
        let queue = try open(path)
        do {
            return try queue.read { db in
                var releases: [HistoryTimeline.Release] = []
                for row in try Row.fetchAll(db, sql: "SELECT * FROM source_release ORDER BY effective_from, release_id") {
                    releases.append(
                        HistoryTimeline.Release(
                            id: try ReleaseID(parsing: try row.decode(String.self, forColumn: "release_id")),
                            catalogVersion: try row.decode(forColumn: "catalog_version"),
                            releasedOn: try row.decode(forColumn: "released_on"),
                            effectiveFrom: try date(try row.decode(forColumn: "effective_from")),
                            rule: try row.decode(forColumn: "effective_rule")))
                }
                var rvu = PeriodTable<RVUKey>()
                try readPeriods(db, table: "rvu_period", keyColumns: 3, valueCount: HistorySchema.rvuValueColumns.count) { key, period in
                    rvu.periods[RVUKey(hcpcs: key[0], modifier: key[1], variant: key[2]), default: []].append(period)
                }
                var localities = PeriodTable<LocalityKey>()
                try readPeriods(db, table: "locality_period", keyColumns: 2, valueCount: HistorySchema.localityValueColumns.count) {
                    key, period in
                    localities.periods[LocalityKey(mac: key[0], locality: key[1]), default: []].append(period)
                }
                return HistoryTimeline(releases: releases, rvu: rvu, localities: localities)
            }
        } catch {
            throw readError(error, path: path)
        }
    }

    /// Opens a history file read-only; a missing file, a file that is not SQLite or not a
    /// history is a `history-read` error.
    static func open(_ path: String) throws(DiagnosticError) -> DatabaseQueue {
        do throws(DiagnosticError) {
            try RegularFile.check(path)
        } catch {
            throw DiagnosticError("history-read", error.diagnostic.message, at: SourceLocation(file: path))
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let version = try queue.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM history_meta WHERE key = 'schema_version'")
            }
            guard version == String(HistorySchema.version) else {
                throw DiagnosticError(
                    "history-read",
                    version.map { "history schema \($0) is not the one this tool reads (\(HistorySchema.version)); rebuild the history" }
                        ?? "not an rvuimport history (no schema_version)", at: SourceLocation(file: path))
            }
            return queue
        } catch {
            throw readError(error, path: path)
        }
    }

    static func readError(_ error: any Error, path: String) -> DiagnosticError {
        if let error = error as? DiagnosticError { return error }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_ERROR {
            return DiagnosticError(
                "history-read", "not an rvuimport history (\(error.message ?? "SQLite error"))", at: SourceLocation(file: path))
        }
        return DiagnosticError(
            "history-read",
            CatalogReader.explain(error, doing: "cannot read the history").replacingOccurrences(of: "catalog", with: "history"),
            at: SourceLocation(file: path))
    }

    static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw CatalogReadError(message: "'\(text)' is not an ISO date; rebuild the history")
        }
        return date
    }

    private static func readPeriods(
        _ db: Database, table: String, keyColumns: Int, valueCount: Int, _ body: ([String], Period) throws -> Void
    ) throws {
        let keys = keyColumns == 3 ? "hcpcs, modifier, variant" : "mac, locality"
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY \(keys), effective_from")
        while let row = try cursor.next() {
            var key: [String] = []
            for index in 0..<keyColumns { key.append(try row.decode(String.self, atIndex: index)) }
            let to: String? = try row.decode(atIndex: keyColumns + 1)
            var values: [String?] = []
            values.reserveCapacity(valueCount)
            for index in 0..<valueCount { values.append(try row.decode(String?.self, atIndex: keyColumns + 3 + index)) }
            try body(
                key,
                Period(
                    from: try date(try row.decode(atIndex: keyColumns)), to: try to.map(date),
                    release: try row.decode(atIndex: keyColumns + 2), values: values))
        }
    }

    /// Writes `timeline` to `path` atomically. A folder, pipe or device at the path, or a file
    /// that is not a history (unless `replacingAnyFile`), is refused and left as it is.
    public static func write(_ timeline: HistoryTimeline, to path: String) throws(DiagnosticError) {
        let location = SourceLocation(file: path)
        try checkReplaceable(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        removeTemporaryFiles(temporary)
        do {
            try fill(temporary, with: timeline)
            try sync(temporary)
        } catch {
            removeTemporaryFiles(temporary)
            throw DiagnosticError("history-write", "cannot write the history: \(error); the previous history is untouched", at: location)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTemporaryFiles(temporary)
            throw DiagnosticError(
                "history-write", "cannot move the new history into place: \(reason); the previous history is untouched", at: location)
        }
        try? sync(folder)
    }

    static func checkReplaceable(_ path: String) throws(DiagnosticError) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "something other than a file (a pipe, socket or device)"
            throw DiagnosticError("history-write", "\(what) is at the history path; choose another path", at: SourceLocation(file: path))
        }
        guard info.st_size > 0 else { return }
        do throws(DiagnosticError) {
            _ = try open(path)
        } catch {
            throw DiagnosticError(
                "history-write",
                "the file at the history path is not an rvuimport history (\(error.diagnostic.message)), so it was left as it is; choose another path",
                at: SourceLocation(file: path))
        }
    }

    private static func fill(_ path: String, with timeline: HistoryTimeline) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        }
        try HistorySchema.migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO history_meta VALUES ('schema_version', ?)", arguments: [String(HistorySchema.version)])
            let release = try db.makeStatement(sql: "INSERT INTO source_release VALUES (?, ?, ?, ?, ?, ?, ?)")
            for entry in timeline.releases.sorted(by: { $0.id.description < $1.id.description }) {
                try release.execute(arguments: [
                    entry.id.description, entry.id.revisionName, entry.catalogVersion, entry.releasedOn, entry.effectiveFrom.description,
                    timeline.effectiveTo(of: entry)?.description, entry.rule,
                ])
            }
            let carried = try db.makeStatement(sql: "INSERT INTO carried_forward_quarter VALUES (?, ?, ?)")
            for span in timeline.carriedForward {
                try carried.execute(arguments: [span.startsOn.description, span.endsOn.description, span.release.description])
            }
            let rvu = try db.makeStatement(
                sql:
                    "INSERT INTO rvu_period VALUES (\(Array(repeating: "?", count: 6 + HistorySchema.rvuValueColumns.count).joined(separator: ", ")))"
            )
            for (key, period) in timeline.rvu.sorted {
                var arguments: [(any DatabaseValueConvertible)?] = [
                    key.hcpcs, key.modifier, key.variant, period.from.description, period.to?.description, period.release,
                ]
                for value in period.values { arguments.append(value) }
                try rvu.execute(arguments: StatementArguments(arguments))
            }
            let locality = try db.makeStatement(
                sql:
                    "INSERT INTO locality_period VALUES (\(Array(repeating: "?", count: 5 + HistorySchema.localityValueColumns.count).joined(separator: ", ")))"
            )
            for (key, period) in timeline.localities.sorted {
                var arguments: [(any DatabaseValueConvertible)?] = [
                    key.mac, key.locality, period.from.description, period.to?.description, period.release,
                ]
                for value in period.values { arguments.append(value) }
                try locality.execute(arguments: StatementArguments(arguments))
            }
        }
    }

    private static func sync(_ path: String) throws {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CatalogReadError(message: "cannot open \(path) to flush it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CatalogReadError(message: "cannot flush \(path): \(String(cString: strerror(errno)))") }
    }

    private static func removeTemporaryFiles(_ temporary: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
    }
}
