import Foundation
import GRDB
import RVUCatalog
import RVUCore

/// Reads and writes history files. A write builds the whole file under a temporary name beside
/// the output and renames it into place: a failure leaves the previous history as it was, and
/// the same timeline always gives the same bytes (rows inserted in key order, no clock).
public enum HistoryStore {
    /// Loads the timeline of the history at `path`: every release, and the periods ending on or
    /// after `day` or still open (all periods when `day` is nil). Those are all the periods that
    /// adding a release taking effect on `day` can change; the others stay in the file, and
    /// ``write(_:to:patching:)`` copies them from there.
    public static func load(_ path: String, periodsFrom day: CalendarDate? = nil) throws(DiagnosticError) -> HistoryTimeline {
        let queue = try open(path)
        do {
            return try queue.read { db in
                var rvu = PeriodTable<RVUKey>()
                try readPeriods(
                    db, table: "rvu_period", keyColumns: 3, valueCount: HistorySchema.rvuValueColumns.count, from: day
                ) { key, period in
                    rvu.periods[RVUKey(hcpcs: key[0], modifier: key[1], variant: key[2]), default: []].append(period)
                }
                var localities = PeriodTable<LocalityKey>()
                try readPeriods(
                    db, table: "locality_period", keyColumns: 2, valueCount: HistorySchema.localityValueColumns.count, from: day
                ) { key, period in
                    localities.periods[LocalityKey(mac: key[0], locality: key[1]), default: []].append(period)
                }
                return HistoryTimeline(releases: try readReleases(db), rvu: rvu, localities: localities)
            }
        } catch {
            throw readError(error, path: path)
        }
    }

    /// The releases of the history at `path`, without periods.
    public static func loadReleases(_ path: String) throws(DiagnosticError) -> [HistoryTimeline.Release] {
        let queue = try open(path)
        do {
            return try queue.read { db in try readReleases(db) }
        } catch {
            throw readError(error, path: path)
        }
    }

    /// The number of RVU periods and locality periods in the history at `path`.
    public static func periodCounts(_ path: String) throws(DiagnosticError) -> (rvu: Int, locality: Int) {
        let queue = try open(path)
        do {
            return try queue.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM rvu_period") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM locality_period") ?? 0
                )
            }
        } catch {
            throw readError(error, path: path)
        }
    }

    private static func readReleases(_ db: Database) throws -> [HistoryTimeline.Release] {
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
        return releases
    }

    /// Opens a history file read-only; a missing file, a file that is not SQLite or not a
    /// history is a `history-read` error.
    static func open(_ path: String) throws(DiagnosticError) -> DatabaseQueue {
        do throws(DiagnosticError) {
            try RegularFile.check(path)
        } catch {
            throw DiagnosticError(.historyRead, error.diagnostic.message, at: SourceLocation(file: path))
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
                    .historyRead,
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
                .historyRead, "not an rvuimport history (\(error.message ?? "SQLite error"))", at: SourceLocation(file: path))
        }
        return DiagnosticError(
            .historyRead,
            CatalogReader.explain(error, doing: "cannot read the history").replacingOccurrences(of: "catalog", with: "history"),
            at: SourceLocation(file: path))
    }

    static func date(_ text: String) throws -> CalendarDate {
        // The history writes every date `YYYY-MM-DD`: the batch's digit reader suffices.
        guard let date = HistoryLookup.date(text) else {
            throw CatalogReadError(message: "'\(text)' is not an ISO date; rebuild the history")
        }
        return date
    }

    private static func readPeriods(
        _ db: Database, table: String, keyColumns: Int, valueCount: Int, from day: CalendarDate?,
        _ body: ([String], Period) throws -> Void
    ) throws {
        let keys = keyColumns == 3 ? "hcpcs, modifier, variant" : "mac, locality"
        let cursor =
            if let day {
                try Row.fetchCursor(
                    db, sql: "SELECT * FROM \(table) WHERE effective_to IS NULL OR effective_to >= ? ORDER BY \(keys), effective_from",
                    arguments: [day.description])
            } else {
                try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY \(keys), effective_from")
            }
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

    /// What adding a release changes in a history file: the periods of the keys in `rvu` and
    /// `localities` that ``load(_:periodsFrom:)`` read (in `read`) are replaced by the
    /// timeline's; every other row stays as it is.
    struct Patch: Sendable {
        let read: HistoryTimeline
        let rvu: [RVUKey]
        let localities: [LocalityKey]
    }

    /// Writes `timeline` to `path` atomically. A folder, pipe or device at the path, or a file
    /// that is not a history, is refused and left as it is.
    public static func write(_ timeline: HistoryTimeline, to path: String) throws(DiagnosticError) {
        try write(timeline, to: path, patching: nil)
    }

    /// Writes a draft, then the history from it with SQLite's `VACUUM INTO`, which copies each
    /// table in key order into a new file: the bytes depend on the rows only, however the draft
    /// was filled, and every page is full. With `patch`, `timeline` holds only periods of the
    /// history at `path` read for the patch (and changed); the draft is the old history copied
    /// inside SQLite with the patch's keys' periods replaced, so the file is the one a timeline
    /// with every period gives, byte for byte, without reading the rest into memory. Returns the
    /// number of RVU and locality periods written.
    @discardableResult
    static func write(_ timeline: HistoryTimeline, to path: String, patching patch: Patch?) throws(DiagnosticError) -> (
        rvu: Int, locality: Int
    ) {
        let location = SourceLocation(file: path)
        try checkReplaceable(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let draft = temporary + "-draft"
        removeTemporaryFiles(temporary)
        removeTemporaryFiles(draft)
        let counts: (rvu: Int, locality: Int)
        do {
            counts = try fill(draft, with: timeline, patching: patch.map { (path, $0) }, compactingInto: temporary)
            removeTemporaryFiles(draft)
            try sync(temporary)
        } catch {
            removeTemporaryFiles(draft)
            removeTemporaryFiles(temporary)
            throw DiagnosticError(.historyWrite, "cannot write the history: \(error); the previous history is untouched", at: location)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTemporaryFiles(temporary)
            throw DiagnosticError(
                .historyWrite, "cannot move the new history into place: \(reason); the previous history is untouched", at: location)
        }
        try? sync(folder)
        return counts
    }

    static func checkReplaceable(_ path: String) throws(DiagnosticError) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFDIR ? "a folder" : "something other than a file (a pipe, socket or device)"
            throw DiagnosticError(.historyWrite, "\(what) is at the history path; choose another path", at: SourceLocation(file: path))
        }
        guard info.st_size > 0 else { return }
        do throws(DiagnosticError) {
            _ = try open(path)
        } catch {
            throw DiagnosticError(
                .historyWrite,
                "the file at the history path is not an rvuimport history (\(error.diagnostic.message)), so it was left as it is; choose another path",
                at: SourceLocation(file: path))
        }
    }

    /// Writes the draft history at `path` (new); with `patch`, the history at `patch.file`
    /// patched. Then writes the history itself to `output` with `VACUUM INTO`.
    private static func fill(
        _ path: String, with timeline: HistoryTimeline, patching patch: (file: String, patch: Patch)?, compactingInto output: String
    ) throws -> (rvu: Int, locality: Int) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        }
        try HistorySchema.migrator.migrate(queue)
        if let patch {
            try queue.writeWithoutTransaction { db in try db.execute(sql: "ATTACH DATABASE ? AS kept", arguments: [patch.file]) }
        }
        let counts = try queue.write { db in
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
            return (
                try insert(timeline.rvu, into: "rvu_period", patching: patch.map { ($0.patch.read.rvu, $0.patch.rvu) }, db),
                try insert(
                    timeline.localities, into: "locality_period", patching: patch.map { ($0.patch.read.localities, $0.patch.localities) },
                    db)
            )
        }
        try queue.writeWithoutTransaction { db in
            if patch != nil { try db.execute(sql: "DETACH DATABASE kept") }
            try db.execute(sql: "VACUUM main INTO ?", arguments: [output])
        }
        return counts
    }

    /// Inserts the periods of `periods` into `table`; returns how many rows it has.
    ///
    /// With `patch`, copies the table of the attached history `kept` (SQLite copies a whole table
    /// into an empty one of the same shape record by record), deletes the rows of the changed
    /// keys read from it (`patch.read`) and inserts their periods from `periods`.
    private static func insert<Key: PeriodKey>(
        _ periods: PeriodTable<Key>, into table: String, patching patch: (read: PeriodTable<Key>, changed: [Key])?, _ db: Database
    ) throws -> Int {
        var statement: Statement?
        var batch = BulkInsert()
        func insert(_ key: Key, _ period: Period) throws {
            for column in key.columns { batch.append(column) }
            batch.append(period.from.description)
            if let to = period.to { batch.append(to.description) } else { batch.appendNull() }
            batch.append(period.release)
            for value in period.values {
                if let value { batch.append(value) } else { batch.appendNull() }
            }
            if statement == nil {
                let marks = Array(repeating: "?", count: Key.columnNames.count + 3 + period.values.count).joined(separator: ", ")
                statement = try db.makeStatement(sql: "INSERT INTO main.\(table) VALUES (\(marks))")
            }
            if let statement { try batch.run(statement) }
        }
        guard let patch else {
            var count = 0
            for (key, period) in periods.sorted {
                try insert(key, period)
                count += 1
            }
            return count
        }
        try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM kept.\(table)")
        let matches = (Key.columnNames + ["effective_from"]).map { "\($0) = ?" }.joined(separator: " AND ")
        let delete = try db.makeStatement(sql: "DELETE FROM main.\(table) WHERE \(matches)")
        for key in patch.changed {
            for period in patch.read.periods[key] ?? [] {
                for column in key.columns { batch.append(column) }
                batch.append(period.from.description)
                try batch.run(delete)
            }
        }
        for key in patch.changed {
            for period in periods.periods[key] ?? [] { try insert(key, period) }
        }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM main.\(table)") ?? 0
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
