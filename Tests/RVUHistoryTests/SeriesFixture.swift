import Foundation
import GRDB
import RVUCore
import RVUHistory
import RVUPipeline
import RVUTestSupport

/// A short quarterly series written by the built `rvusamples --series`, each archive imported
/// into its own catalog, and the history of them all; built once for the suite.
enum SeriesFixture {
    /// RVU24A to RVU25D (8 quarters) plus the correction RVU24AR; 600 codes keep a debug run short.
    static let quarters = 8
    static let codes = 600
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("series-\(UUID().uuidString)").path

    struct Built: Sendable {
        /// Catalog path by release id.
        let catalogs: [String: String]
        /// The manifest's releases, in effect order.
        let manifest: [ManifestRelease]
        let history: String

        /// The catalog of `release`.
        func catalog(_ release: String) throws -> String {
            guard let path = catalogs[release] else { throw FixtureError("no catalog of \(release) in the series") }
            return path
        }
    }

    /// One release of `series.json`.
    struct ManifestRelease: Decodable, Sendable {
        let id: String
        let correctionOf: String?
        let deleted: [String]
        let added: [String]
        let readded: [String]
        let modifierRowsAdded: [String]
        let changed: [String]
        let rows: Int

        enum CodingKeys: String, CodingKey {
            case id, deleted, added, readded, changed, rows
            case correctionOf = "correction_of"
            case modifierRowsAdded = "modifier_rows_added"
        }
    }

    static let built: Result<Built, Error> = Result {
        let archives = "\(folder)/archives"
        try FileManager.default.createDirectory(atPath: archives, withIntermediateDirectories: true)
        let generator = Process()
        generator.executableURL = BuiltTool.url("rvusamples")
        generator.arguments = ["--series", String(quarters), "--codes", String(codes), "--output", archives]
        generator.standardOutput = FileHandle.nullDevice
        try generator.run()
        generator.waitUntilExit()
        guard generator.terminationStatus == 0 else { throw FixtureError("rvusamples --series exited \(generator.terminationStatus)") }
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: "\(archives)/series.json"))
        struct Manifest: Decodable { let releases: [ManifestRelease] }
        let manifest = try JSONDecoder().decode(Manifest.self, from: manifestData).releases
        let curated = "\(folder)/curated"
        try FileManager.default.createDirectory(atPath: curated, withIntermediateDirectories: true)
        var catalogs: [String: String] = [:]
        for release in manifest {
            let output = "\(folder)/\(release.id).sqlite"
            let result = try Pipeline.run(
                release: try ReleaseID(parsing: release.id),
                options: .init(source: "\(archives)/\(release.id).zip", curated: curated, output: output, strict: false))
            guard result.written != nil else { throw FixtureError("\(release.id) not written: \(result.diagnostics.prefix(3))") }
            catalogs[release.id] = output
        }
        let history = "\(folder)/history.sqlite"
        try HistoryStore.write(try HistoryBuilder.build(catalogs: catalogs.values.sorted()), to: history)
        return Built(catalogs: catalogs, manifest: manifest, history: history)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A product built beside the test bundle (`.build/debug/NAME`).
enum BuiltTool {
    static func url(_ name: String) -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Golden.repositoryRoot.appendingPathComponent(".build/debug/\(name)")
    }
}

/// One PPRRVU row of a catalog as the catalog stores it: text columns as text, RVUs, factor and
/// payments as the stored REALs. Read with plain SQL, independently of the history's own reader.
struct CatalogRow: Sendable {
    let key: RVUKey
    let status: String
    let globalDays: String
    /// work, non-facility PE, facility PE, MP, non-facility total, facility total, conversion
    /// factor, non-facility amount, facility amount.
    let numbers: [Double?]

    static let numberColumns = [
        "work_rvu", "nonfacility_pe_rvu", "facility_pe_rvu", "mp_rvu", "nonfacility_total", "facility_total", "conversion_factor",
        "nonfacility_amount", "facility_amount",
    ]

    static func all(in catalog: String) throws -> [CatalogRow] {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: catalog, configuration: configuration)
        return try queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.hcpcs, r.modifier, r.variant, r.status, r.global_days, r.work_rvu, r.nonfacility_pe_rvu, r.facility_pe_rvu,
                        r.mp_rvu, r.nonfacility_total, r.facility_total, r.conversion_factor, p.nonfacility_amount, p.facility_amount
                    FROM rvu r LEFT JOIN national_payment p USING (hcpcs, modifier, variant)
                    ORDER BY r.hcpcs, r.modifier, r.variant
                    """
            ).map { row in
                CatalogRow(
                    key: RVUKey(hcpcs: row[0], modifier: row[1], variant: row[2]), status: row[3], globalDays: row[4],
                    numbers: (5..<14).map { row[$0] })
            }
        }
    }

    /// The differences between this row and an answer, one text each (empty when they agree).
    /// A decimal agrees when its published text read as a double is the stored REAL.
    func differences(from answer: HistoryAnswer) -> [String] {
        var found: [String] = []
        if answer.status != status { found.append("status \(answer.status ?? "nil") != \(status)") }
        if answer.value("global_days") != globalDays {
            found.append("global_days \(answer.value("global_days") ?? "nil") != \(globalDays)")
        }
        for (column, stored) in zip(Self.numberColumns, numbers) {
            let text = answer.value(column)
            let value = text.flatMap { ExactDecimal($0) }?.doubleValue
            if value != stored || (text != nil && value == nil) {
                found.append("\(column) \(text ?? "nil") != \(stored.map { String($0) } ?? "nil")")
            }
        }
        return found
    }
}

/// The days around a date (the history's dates are calendar days, no time zone).
enum Days {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()

    static func adding(_ days: Int, to date: CalendarDate) -> CalendarDate {
        let start = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day)) ?? Date(timeIntervalSince1970: 0)
        let moved = calendar.date(byAdding: .day, value: days, to: start) ?? start
        let parts = calendar.dateComponents([.year, .month, .day], from: moved)
        return CalendarDate(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0) ?? date
    }

    /// The number of days from `start` to `end`.
    static func between(_ start: CalendarDate, _ end: CalendarDate) -> Int {
        var count = 0
        var day = start
        while day < end {
            day = adding(1, to: day)
            count += 1
        }
        return count
    }
}

/// Answers from a history file through ``HistoryLookup``, the periods of every code read once.
struct HistoryQuery {
    let lookup: HistoryLookup
    let periods: HistoryLookup.Periods
    /// The file opened read-only, for the checks the lookup has no call for.
    let queue: DatabaseQueue

    init(_ path: String) throws {
        lookup = try HistoryLookup(path: path)
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
        let codes = try queue.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT hcpcs FROM rvu_period") }
        periods = try lookup.periods(of: codes)
    }

    /// The answer for `key` on `date`, or why there is none.
    func result(_ key: RVUKey, on date: CalendarDate) -> Result<HistoryAnswer, HistoryLookup.NoAnswer> {
        lookup.answer(code: key.hcpcs, modifier: key.modifier, variant: key.variant, on: date, from: periods)
    }

    /// The answer for `key` on `date`; nil when there is none.
    func answer(_ key: RVUKey, on date: CalendarDate) throws -> HistoryAnswer? {
        try? result(key, on: date).get()
    }
}
