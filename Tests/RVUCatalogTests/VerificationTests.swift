import Foundation
import GRDB
import RVUCore
import RVUImport
import RVUMerge
import RVUPipeline
import RVUReports
import Testing

@testable import RVUCatalog

/// `--verify csv|txt|all` changes which formats are parsed and cross-checked, never the catalog's
/// data or version; an error in a member that is parsed leaves the previous catalog alone.
@Suite struct VerificationTests {
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

    static func run(_ verify: Verification, source: String, output: String) throws -> Pipeline.RunResult {
        try Pipeline.run(
            release: ReleaseID(parsing: "RVU26A"),
            options: .init(
                source: source, curated: repositoryRoot.appendingPathComponent("Samples/curated").path, output: output,
                strict: false, verify: verify))
    }

    /// `release_member` as `name format rows` lines.
    static func members(_ path: String) throws -> [String] {
        try CatalogReader(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT name, format, rows FROM release_member ORDER BY name").map { row in
                "\(row["name"] as String? ?? "") \(row["format"] as String? ?? "") \((row["rows"] as Int?).map(String.init) ?? "NULL")"
            }
        }
    }

    @Test func everyModeWritesTheSameDataAndVersion() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Half of the OPPSCAP TXT's rows are gone: the cross-check has variances to report.
        let release = try Self.unpackSample(into: folder)
        let cut = "\(release)/OPPSCAP_Jan.txt"
        let text = try Data(contentsOf: URL(fileURLWithPath: cut))
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        try Data(lines.prefix(lines.count / 2).joined(separator: [0x0A])).write(to: URL(fileURLWithPath: cut))

        var results: [Verification: Pipeline.RunResult] = [:]
        for mode in Verification.allCases {
            results[mode] = try Self.run(mode, source: folder, output: "\(folder)/\(mode.rawValue).sqlite")
        }
        let all = try #require(results[.all]?.written)
        for mode in Verification.allCases {
            let result = try #require(results[mode])
            #expect(result.written?.catalogVersion == all.catalogVersion, "\(mode)")
            // The stored version is the one recomputed from the rows (release_member.rows left out).
            let reader = try CatalogReader(path: "\(folder)/\(mode.rawValue).sqlite")
            #expect(try reader.computedVersion() == all.catalogVersion)
        }
        // The data tables are identical; release_member differs only in the counts of members
        // that were not parsed.
        func dataTables(_ mode: Verification) throws -> String {
            let dump = try CatalogReader(path: "\(folder)/\(mode.rawValue).sqlite").dump()
            return String(dump[try #require(dump.range(of: "# category\n")).lowerBound...])
        }
        #expect(try dataTables(.csv) == dataTables(.all))
        #expect(try dataTables(.txt) == dataTables(.all))

        let everyMember = try Self.members("\(folder)/all.sqlite")
        #expect(everyMember.count == 18 && everyMember.allSatisfy { !$0.hasSuffix(" NULL") })
        let defaultMembers = try Self.members("\(folder)/txt.sqlite")
        #expect(defaultMembers.map { $0.split(separator: " ")[0] } == everyMember.map { $0.split(separator: " ")[0] })
        #expect(defaultMembers.filter { $0.hasSuffix(" NULL") } == defaultMembers.filter { $0.contains(" xlsx ") })
        #expect(try Self.members("\(folder)/csv.sqlite").filter { !$0.hasSuffix(" NULL") }.allSatisfy { $0.contains(" csv ") })

        // What each mode cross-checked.
        #expect(results[.csv]?.imported.variances.isEmpty == true)
        #expect(results[.txt]?.imported.variances.isEmpty == false)
        #expect(results[.txt]?.imported.variances == results[.all]?.imported.variances)
        #expect(results[.csv]?.imported.members.allSatisfy { $0.format == .csv } == true)
        #expect(Summary.verification(try #require(results[.txt]?.imported)).contains("txt cross-checked against csv"))
        #expect(Summary.verification(try #require(results[.txt]?.imported)).contains("xlsx not parsed (6 members"))
    }

    @Test func withoutACSVTheWorkbookIsAuthoritativeInEveryMode() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let release = try Self.unpackSample(into: folder)
        try FileManager.default.removeItem(atPath: "\(release)/GPCI2026.csv")
        let result = try Self.run(.csv, source: folder, output: "\(folder)/csv.sqlite")
        #expect(!result.diagnostics.containsError)
        #expect(result.imported.members.filter { $0.kind == .gpci }.map(\.format) == [.xlsx])
    }

    @Test(arguments: [
        ("PPRRVU2026_Jan_nonQPP.xlsx", Verification.all), ("PPRRVU2026_Jan_QPP.txt", .txt), ("OPPSCAP_Jan.xlsx", .all),
        ("GPCI2026.csv", .csv),
    ])
    func anErrorInAParsedMemberLeavesTheOldCatalog(broken member: String, verify: Verification) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = "\(folder)/out/RVU26A.sqlite"
        _ = try buildSampleCatalog("RVU26A", output: output)
        let before = try Data(contentsOf: URL(fileURLWithPath: output))
        // The member is cut in half: its format's reader fails.
        let release = try Self.unpackSample(into: folder)
        let path = "\(release)/\(member)"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let result = try Self.run(verify, source: folder, output: output)
        #expect(result.diagnostics.containsError)
        #expect(result.written == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/out").filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "temporary files left: \(left)")
        // The lock was let go: the next run writes.
        _ = try buildSampleCatalog("RVU26A", output: output)
    }

    @Test func aMemberNotAskedForIsListedNotParsed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A workbook cut in half is not read under the default: it is listed with the checksum
        // of its bytes, and the catalog is written.
        let release = try Self.unpackSample(into: folder)
        let path = "\(release)/OPPSCAP_Jan.xlsx"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let half = [UInt8](bytes.prefix(bytes.count / 2))
        try Data(half).write(to: URL(fileURLWithPath: path))
        let result = try Self.run(.txt, source: folder, output: "\(folder)/txt.sqlite")
        #expect(!result.diagnostics.containsError)
        let listed = try #require(result.imported.listedMembers.first { $0.name == "OPPSCAP_Jan.xlsx" })
        #expect(listed.sha256 == SHA256.hex(half) && listed.bytes == half.count)
    }
}
