import Foundation
import GRDB
import RVUCore
import RVUMerge
import Testing

@testable import RVUCatalog

/// A small merged catalog built in the test.
func sampleCatalog(workRVU: String = "1.30") -> MergedCatalog {
    func d(_ text: String) -> ExactDecimal { ExactDecimal(text) ?? .zero }
    var visit = RVURecord(hcpcs: "99213", modifier: "")
    visit.status = "A"
    visit.description = "proprietary text"
    visit.workRVU = d(workRVU)
    visit.nonfacilityPE = d("1.35")
    visit.facilityPE = d("0.57")
    visit.mpRVU = d("0.10")
    visit.nonfacilityTotal = d(workRVU) + d("1.35") + d("0.10")
    visit.facilityTotal = d(workRVU) + d("0.57") + d("0.10")
    visit.conversionFactor = d("32.3465")
    visit.globalDays = "XXX"
    visit.pctc = "0"
    var supply = visit
    supply.hcpcs = "A2001"
    supply.status = "C"
    supply.description = "Skin substitute, per sq cm"
    let release = ReleaseData(
        id: ReleaseID(year: 2025, quarter: .d), releasedOn: CalendarDate(year: 2025, month: 9, day: 11), sourceSHA256: "ab",
        notices: ["CPT codes and descriptions only are copyright 2024 American Medical Association."],
        members: [.init(name: "PPRRVU2025_Oct.csv", dataset: .pprrvu, variant: .general, format: .csv, sha256: "cd", bytes: 10, rows: 2)],
        rvu: [.general: [visit, supply]],
        gpci: [
            GPCIRecord(
                mac: "10112", state: "AL", locality: "00", name: "ALABAMA", workGPCI: d("1.000"), peGPCI: d("0.869"), mpGPCI: d("0.575"))
        ],
        localityCounties: [],
        anesthesia: [AnesthesiaRecord(mac: "10112", locality: "00", name: "ALABAMA", footnoted: false, conversionFactor: d("19.31"))],
        oppsCaps: [], nationalAnesthesiaCF: d("20.3178"))
    return Merger.merge(release, curated: CuratedContent())
}

/// The names in a folder that are not hidden (a hidden lock file may stay beside a catalog).
func visibleFiles(_ folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
}

func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct CatalogWriterTests {
    @Test func identicalInputsGiveIdenticalBytes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try CatalogWriter.write(sampleCatalog(), to: "\(folder)/a.sqlite")
        let second = try CatalogWriter.write(sampleCatalog(), to: "\(folder)/b.sqlite")
        #expect(first.catalogVersion == second.catalogVersion)
        let a = try Data(contentsOf: URL(fileURLWithPath: first.path))
        let b = try Data(contentsOf: URL(fileURLWithPath: second.path))
        #expect(a == b)
        #expect(try visibleFiles(folder) == ["a.sqlite", "b.sqlite"])
        let changed = try CatalogWriter.write(sampleCatalog(workRVU: "1.31"), to: "\(folder)/c.sqlite")
        #expect(changed.catalogVersion != first.catalogVersion, "the version changes when the data does")
        // The version computed while inserting is the one read back from the finished file.
        #expect(try CatalogReader(path: first.path).computedVersion() == first.catalogVersion)
        #expect(try CatalogReader(path: changed.path).computedVersion() == changed.catalogVersion)
        try CatalogEditor.execute(changed.path, sql: "UPDATE rvu SET work_rvu = 1.30 WHERE work_rvu = 1.31")
        #expect(try CatalogReader(path: changed.path).computedVersion() != changed.catalogVersion, "an edit changes the data's version")
    }

    @Test func numbersReadBackAsPublished() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written = try CatalogWriter.write(sampleCatalog(), to: "\(folder)/RVU25D.sqlite")
        let dump = try CatalogReader(path: written.path).dump()
        #expect(dump.contains("work_rvu=1.30\t"))
        #expect(dump.contains("conversion_factor=32.3465\t"))
        #expect(dump.contains("work_gpci=1.000\t"))
        #expect(dump.contains("hcpcs=99213\tmodifier=\tvariant=general\tnonfacility_amount=88.95\tfacility_amount=63.72"))
        #expect(!dump.contains("proprietary text"))
        let meta = try CatalogReader(path: written.path).meta()
        #expect(meta["release_id"] == "RVU25D" && meta["released_on"] == "2025-09-11" && meta["schema_version"] == "5")
        #expect(meta["catalog_version"] == written.catalogVersion)
        #expect(meta["ama_notice"]?.hasPrefix("CPT codes") == true)
        let journal = try DatabaseQueue(path: written.path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "delete")
    }

    @Test func aFailedWriteLeavesThePreviousCatalog() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/RVU25D.sqlite"
        _ = try CatalogWriter.write(sampleCatalog(), to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var broken = sampleCatalog()
        var records = broken.release.rvu[.general] ?? []
        records.append(try #require(records.first))  // a duplicate key
        broken.release.rvu[.general] = records
        #expect(throws: DiagnosticError.self) { try CatalogWriter.write(broken, to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try visibleFiles(folder) == ["RVU25D.sqlite"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [".RVU25D.sqlite.lock", "RVU25D.sqlite"],
            "only the hidden lock file beside it")
    }

    @Test func aSecondWriterOfTheSameOutputIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/RVU25D.sqlite"
        let held = try CatalogWriter.OutputLock(for: "\(folder)/.RVU25D.sqlite.lock", output: path)
        do {
            _ = try CatalogWriter.write(sampleCatalog(), to: path)
            Issue.record("expected the second writer to be refused")
        } catch {
            #expect(error.description == "\(path): error: another rvuimport is writing this catalog now; run again when it has finished")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        held.release()
        _ = try CatalogWriter.write(sampleCatalog(), to: path)
        #expect(try visibleFiles(folder) == ["RVU25D.sqlite"])
    }

    @Test func aFileThatIsNotACatalogIsAnError() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: "\(folder)/x.sqlite"))
        #expect(throws: DiagnosticError.self) { try CatalogReader(path: "\(folder)/x.sqlite") }
        #expect(throws: DiagnosticError.self) { try CatalogReader(path: "\(folder)/missing.sqlite") }
    }
}
