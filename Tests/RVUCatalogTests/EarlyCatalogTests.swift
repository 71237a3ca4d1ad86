import Foundation
import RVUCore
import RVUImport
import RVUMerge
import RVUPipeline
import Synchronization
import Testing

@testable import RVUCatalog

/// The catalog written beside the import (from the authoritative members, while the other
/// formats are still read) is the catalog of a run whose stages take turns, and an error found
/// late in the import still leaves the previous catalog alone.
@Suite struct EarlyCatalogTests {
    /// The sample release's members unpacked into `folder/RVU26A/`.
    static func unpackSample(into folder: String) throws -> String {
        let archive = repositoryRoot.appendingPathComponent("Samples/releases/RVU26A.zip").path
        let members = try ReleaseImporter.members(
            ofArchive: Array(try Data(contentsOf: URL(fileURLWithPath: archive))), name: "RVU26A.zip")
        let release = "\(folder)/RVU26A"
        try FileManager.default.createDirectory(atPath: release, withIntermediateDirectories: true)
        for member in members { try Data(member.bytes).write(to: URL(fileURLWithPath: "\(release)/\(member.name)")) }
        return release
    }

    @Test func theImporterHandsOverTheAuthoritativeRecordsOnce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Half of the OPPSCAP TXT's rows are gone: the cross-check has variances to report.
        let release = try Self.unpackSample(into: folder)
        let cut = "\(release)/OPPSCAP_Jan.txt"
        let text = try Data(contentsOf: URL(fileURLWithPath: cut))
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        try Data(lines.prefix(lines.count / 2).joined(separator: [0x0A])).write(to: URL(fileURLWithPath: cut))
        let input = ReleaseInput.folder(path: release, files: try FileManager.default.contentsOfDirectory(atPath: release).sorted())
        let id = try ReleaseID(parsing: "RVU26A")
        let handed = Mutex<[ReleaseData]>([])
        var options = ReleaseImporter.Options()
        options.onAuthoritativeRecords = { records in handed.withLock { $0.append(records) } }
        options.releasesCrossCheckedRecords = true
        let early = try Pipeline.importRelease(input, release: id, options: options)
        let plain = try Pipeline.importRelease(input, release: id)
        let records = handed.withLock { $0 }
        try #require(records.count == 1)
        // The CSV members of the five datasets (two PPRRVU variants), with the records a full
        // import uses.
        #expect(records[0].members.map(\.name).sorted() == plain.members.filter { $0.format == .csv }.map(\.name).sorted())
        #expect(records[0].rvu == plain.data.rvu)
        #expect(records[0].oppsCaps == plain.data.oppsCaps && records[0].gpci == plain.data.gpci)
        // Cross-checked as soon as parsed: the same variances and diagnostics, no records kept.
        #expect(early.variances == plain.variances && !plain.variances.isEmpty)
        #expect(early.diagnostics.map(\.description) == plain.diagnostics.map(\.description))
        #expect(early.members.filter { $0.format != .csv }.allSatisfy { $0.records.count == 0 })
        #expect(plain.members.filter { $0.format != .csv }.allSatisfy { $0.records.count > 0 })
    }

    @Test func writtenBesideTheImportOrAfterItTheBytesAreTheSame() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let beside = try buildSampleCatalog("RVU26A", output: "\(folder)/beside.sqlite")
        // The stages one after the other: import, merge, write.
        let imported = try Pipeline.importRelease(
            .archive(path: repositoryRoot.appendingPathComponent("Samples/releases/RVU26A.zip").path),
            release: ReleaseID(parsing: "RVU26A"))
        let curated = CuratedContentParser.parse(
            try Pipeline.curatedFiles(in: repositoryRoot.appendingPathComponent("Samples/curated").path)
        ).0
        let after = try CatalogWriter.write(Merger.merge(imported.data, curated: curated), to: "\(folder)/after.sqlite")
        #expect(beside.written?.catalogVersion == after.catalogVersion)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(folder)/beside.sqlite"))
                == Data(contentsOf: URL(fileURLWithPath: "\(folder)/after.sqlite")))
        // The run's merged catalog has its proprietary descriptors blanked, as the merger's.
        let descriptions = try #require(beside.catalog).release.rvu.values.joined()
            .filter { CodeCategory.of($0.hcpcs)?.descriptorIsProprietary ?? true }.map(\.description)
        #expect(!descriptions.isEmpty && descriptions.allSatisfy(\.isEmpty))
    }

    @Test(arguments: ["PPRRVU2026_Jan_nonQPP.xlsx", "PPRRVU2026_Jan_QPP.txt", "OPPSCAP_Jan.xlsx"])
    func anErrorInAMemberReadAfterTheCSVLeavesTheOldCatalog(broken member: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = "\(folder)/out/RVU26A.sqlite"
        _ = try buildSampleCatalog("RVU26A", output: output)
        let before = try Data(contentsOf: URL(fileURLWithPath: output))
        // The member is cut in half: its format's reader fails, after the CSVs (read first)
        // have started the catalog.
        let release = try Self.unpackSample(into: folder)
        let path = "\(release)/\(member)"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let result = try Pipeline.run(
            release: ReleaseID(parsing: "RVU26A"),
            options: .init(
                source: folder, curated: repositoryRoot.appendingPathComponent("Samples/curated").path, output: output,
                strict: false))
        #expect(result.diagnostics.containsError)
        #expect(result.written == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/out").filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "temporary files left: \(left)")
        // The lock was let go: the next run writes.
        _ = try buildSampleCatalog("RVU26A", output: output)
    }
}
