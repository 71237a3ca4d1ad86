import Foundation
import GRDB
import RVUCatalog
import RVUCore
import RVUPipeline
import RVUTestSupport
import Testing

@testable import RVUHistory

/// The two sample catalogs, built once.
enum SampleHistoryCatalogs {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)").path
    static let built: Result<(old: String, new: String), Error> = Result {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for id in ["RVU25D", "RVU26A"] {
            _ = try Pipeline.run(
                release: try ReleaseID(parsing: id),
                options: .init(
                    source: Golden.samples("releases"), curated: Golden.samples("curated"), output: "\(folder)/\(id).sqlite",
                    strict: false))
        }
        return ("\(folder)/RVU25D.sqlite", "\(folder)/RVU26A.sqlite")
    }

    static func digest(_ path: String) throws -> String {
        SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}

@Suite struct HistoryBuildTests {
    @Test func theSameCatalogsInAnyOrderGiveTheSameBytes() throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let folder = SampleHistoryCatalogs.folder
        try HistoryStore.write(try HistoryBuilder.build(catalogs: [old, new]), to: "\(folder)/forward.sqlite")
        try HistoryStore.write(try HistoryBuilder.build(catalogs: [new, old]), to: "\(folder)/backward.sqlite")
        _ = try HistoryBuilder.add(catalog: new, history: "\(folder)/added.sqlite")
        _ = try HistoryBuilder.add(catalog: old, history: "\(folder)/added.sqlite")
        let forward = try SampleHistoryCatalogs.digest("\(folder)/forward.sqlite")
        #expect(try SampleHistoryCatalogs.digest("\(folder)/backward.sqlite") == forward)
        #expect(try SampleHistoryCatalogs.digest("\(folder)/added.sqlite") == forward)
    }

    @Test func addingACatalogAlreadyThereLeavesTheFileUnchanged() throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let path = "\(SampleHistoryCatalogs.folder)/idempotent.sqlite"
        try HistoryStore.write(try HistoryBuilder.build(catalogs: [old, new]), to: path)
        let before = try SampleHistoryCatalogs.digest(path)
        let (_, outcome) = try HistoryBuilder.add(catalog: new, history: path)
        #expect(outcome == .alreadyPresent)
        #expect(try SampleHistoryCatalogs.digest(path) == before)
    }

    /// A write that fails part way (a file size limit, as a full disk would) exits 74 and leaves
    /// the previous history as it was, with no draft or temporary file beside it.
    @Test func aFileSizeLimitFailsTheAddAndKeepsTheOldHistory() throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let folder = "\(SampleHistoryCatalogs.folder)/size-limit"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/history.sqlite"
        try HistoryStore.write(try HistoryBuilder.build(catalogs: [old]), to: path)
        let before = try SampleHistoryCatalogs.digest(path)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        // ulimit counts 1 KiB blocks: less than the new history needs, more than the catalog reads.
        let command = [HistoryBinary.url.path, "history", "add", new, "--history", path].map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f \(size / 1024 / 2); exec \(command)"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 74, "\(stderr)")
        #expect(stderr.contains("error: cannot write the history"), "\(stderr)")
        #expect(try SampleHistoryCatalogs.digest(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [".history.sqlite.lock", "history.sqlite"])
        // Without the limit the same add succeeds.
        #expect(try HistoryBinary.run(["history", "add", new, "--history", path]).status == 0)
        #expect(try SampleHistoryCatalogs.digest(path) != before)
    }

    @Test func aFolderAtTheOutputPathIsRefusedAndNothingIsLeft() throws {
        let (old, _) = try SampleHistoryCatalogs.built.get()
        let path = "\(SampleHistoryCatalogs.folder)/a-folder"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: DiagnosticError.self) { try HistoryStore.write(try HistoryBuilder.build(catalogs: [old]), to: path) }
        let left = try FileManager.default.contentsOfDirectory(atPath: SampleHistoryCatalogs.folder).filter {
            $0.hasPrefix(".a-folder.tmp-")
        }
        #expect(left.isEmpty)
    }

    @Test func everyRowOfEachReleaseIsInEffectInsideItsPeriod() throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let timeline = try HistoryBuilder.build(catalogs: [new, old])
        for (path, day) in [(old, "2025-11-15"), (new, "2026-01-01")] {
            let snapshot = try CatalogSnapshot.read(path)
            let date = try #require(CalendarDate(iso: day))
            for row in snapshot.rvu {
                let period = timeline.rvu.periods[row.key]?.first { $0.from <= date && ($0.to.map { date < $0 } ?? true) }
                #expect(period?.values == row.values, "\(row.key) on \(day)")
            }
        }
        // The boundary: the last day of RVU25D answers RVU25D's values.
        let last = try #require(CalendarDate(iso: "2025-12-31"))
        for row in try CatalogSnapshot.read(old).rvu {
            let period = timeline.rvu.periods[row.key]?.first { $0.from <= last && ($0.to.map { last < $0 } ?? true) }
            #expect(period?.values == row.values, "\(row.key) on 2025-12-31")
        }
    }

    @Test func theCorrectionOf2024TakesEffectOnMarchNinth() {
        let (day, rule) = EffectiveDates.effectiveFrom(ReleaseID(year: 2024, quarter: .a, isCorrection: true))
        #expect(day.description == "2024-03-09")
        #expect(rule.text.contains("Consolidated Appropriations Act, 2024"))
        #expect(EffectiveDates.effectiveFrom(ReleaseID(year: 2025, quarter: .c)).0.description == "2025-07-01")
    }

    @Test func aCodeDeletedAndReAddedHasTwoPeriods() throws {
        let key = RVUKey(hcpcs: "99213", modifier: "", variant: "general")
        var table = PeriodTable<RVUKey>()
        func day(_ text: String) throws -> CalendarDate { try #require(CalendarDate(iso: text)) }
        table.splice([(key, ["A", "1.30"])], release: "RVU25A", from: try day("2025-01-01"), to: nil, nextRelease: nil)
        table.splice([], release: "RVU25B", from: try day("2025-04-01"), to: nil, nextRelease: nil)
        table.splice([(key, ["A", "1.30"])], release: "RVU25C", from: try day("2025-07-01"), to: nil, nextRelease: nil)
        let periods = table.periods[key] ?? []
        #expect(periods.map(\.release) == ["RVU25A", "RVU25C"])
        #expect(periods.first?.to == (try day("2025-04-01")))
    }
}
