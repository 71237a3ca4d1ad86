import Foundation
import RVUCore
import RVUHistory
import RVUPipeline
import RVUTestSupport
import Testing

/// The history of the sample releases (RVU25D, RVU26A), and of them with the real RVU24B: every
/// row of each release answered inside its period and on its first and last day, against the
/// release's own catalog.
@Suite struct HistoryReleaseTests {
    static func day(_ text: String) throws -> CalendarDate { try #require(CalendarDate(iso: text)) }

    @Test func theSampleReleasesAreAnsweredRowByRow() throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let history = "\(RealHistory.folder)/samples-rows.sqlite"
        try HistoryStore.write(try HistoryBuilder.build(catalogs: [new, old]), to: history)
        let query = try HistoryQuery(history)
        for date in ["2025-10-01", "2025-11-15", "2025-12-31"] {
            try HistorySeriesTests.expectEveryRow(of: old, answeredBy: query, on: try Self.day(date), release: "RVU25D")
        }
        // RVU26A has a general and a QPP row for each key.
        for date in ["2026-01-01", "2026-05-15", "2031-12-31"] {
            let rows = try HistorySeriesTests.expectEveryRow(of: new, answeredBy: query, on: try Self.day(date), release: "RVU26A")
            #expect(rows > 0)
        }
        let row = try #require(try CatalogRow.all(in: old).first)
        #expect(try query.answer(row.key, on: try Self.day("2025-09-30")) == nil, "before the first release")
    }
}

/// RVU24B (through RVU_SHARED_CMS) with the sample releases after it: RVU24B holds from April 1,
/// 2024 until RVU25D takes effect, its values carried forward through the five quarters with no
/// release loaded.
@Suite(.enabled(if: RealHistory.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
struct RealHistoryTests {
    @Test func everyRowOfRVU24BIsAnsweredUntilRVU25DTakesEffect() throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let real = try RealHistory.catalog.get()
        let history = "\(RealHistory.folder)/with-rvu24b.sqlite"
        try HistoryStore.write(try HistoryBuilder.build(catalogs: [new, real, old]), to: history)
        let query = try HistoryQuery(history)
        for (date, carried) in [
            ("2024-04-01", false), ("2024-05-15", false), ("2024-06-30", false), ("2024-07-01", true), ("2025-09-30", true),
        ] {
            let rows = try HistorySeriesTests.expectEveryRow(
                of: real, answeredBy: query, on: try HistoryReleaseTests.day(date), release: "RVU24B", carriedForward: carried)
            #expect(rows > 18_000)
        }
        try HistorySeriesTests.expectEveryRow(of: old, answeredBy: query, on: try HistoryReleaseTests.day("2025-10-01"), release: "RVU25D")
        try HistorySeriesTests.expectEveryRow(of: new, answeredBy: query, on: try HistoryReleaseTests.day("2026-01-01"), release: "RVU26A")
        let row = try #require(try CatalogRow.all(in: real).first)
        #expect(try query.answer(row.key, on: try HistoryReleaseTests.day("2024-03-31")) == nil, "before the first release")
    }
}

enum RealHistory {
    static let shared = ProcessInfo.processInfo.environment["RVU_SHARED_CMS"]
    static let available = shared.map { FileManager.default.fileExists(atPath: "\($0)/RVU24B.zip") } ?? false
    /// This file's outputs: not the sample catalogs' folder, which another suite checks for
    /// temporary files left behind.
    static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("history-releases-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// RVU24B imported once with the sample curated content.
    static let catalog: Result<String, Error> = Result {
        guard let shared else { throw FixtureError("RVU_SHARED_CMS unset") }
        let output = "\(folder)/RVU24B.sqlite"
        let result = try Pipeline.run(
            release: ReleaseID(year: 2024, quarter: .b),
            options: .init(source: "\(shared)/RVU24B.zip", curated: Golden.samples("curated"), output: output, strict: false))
        guard result.written != nil else { throw FixtureError("RVU24B not written: \(result.diagnostics.prefix(3))") }
        return output
    }
}
