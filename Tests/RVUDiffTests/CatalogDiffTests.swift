import Foundation
import GRDB
import RVUCatalog
import RVUCore
import RVUPipeline
import RVUTestSupport
import Testing

@testable import RVUDiff

/// Runs the whole pipeline on a sample release.
func buildSampleCatalog(_ id: String, output: String) throws -> Pipeline.RunResult {
    try Pipeline.run(
        release: try ReleaseID(parsing: id),
        options: .init(
            source: Golden.samples("releases"), curated: Golden.samples("curated"), output: output, strict: false))
}

/// The two sample catalogs, built once.
enum SampleCatalogs {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID().uuidString)").path
    static let built: Result<(old: String, new: String), Error> = Result {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try buildSampleCatalog("RVU25D", output: "\(folder)/RVU25D.sqlite")
        _ = try buildSampleCatalog("RVU26A", output: "\(folder)/RVU26A.sqlite")
        return ("\(folder)/RVU25D.sqlite", "\(folder)/RVU26A.sqlite")
    }

    /// Overwrites the end of the RVU key index's root page, where its cells are, with garbage.
    static func damageIndex(of path: String) throws {
        let (page, size) = try CatalogReader(path: path).read { db in
            (
                try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_rvu_1'"),
                try Int.fetchOne(db, sql: "PRAGMA page_size")
            )
        }
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? file.close() }
        try file.seek(toOffset: UInt64((try #require(page)) * (try #require(size)) - 1024))
        try file.write(contentsOf: Data((0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
    }

    static func diff() throws -> CatalogDiff {
        let (old, new) = try built.get()
        return try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: new))
    }
}

@Suite struct CatalogDiffTests {
    /// A catalog edited after writing, whose rowids no longer follow key order, is still compared
    /// by key.
    @Test func rowsMovedByAnEditAreStillMatchedByKey() throws {
        let (old, _) = try SampleCatalogs.built.get()
        let moved = "\(SampleCatalogs.folder)/moved.sqlite"
        try? FileManager.default.removeItem(atPath: moved)
        try FileManager.default.copyItem(atPath: old, toPath: moved)
        defer { try? FileManager.default.removeItem(atPath: moved) }
        // 11102 goes to the end of the rowids, with one value changed; A0021 too, unchanged.
        try CatalogEditor.execute(
            moved,
            sql: """
                CREATE TEMP TABLE saved AS SELECT * FROM rvu WHERE hcpcs IN ('11102', 'A0021');
                DELETE FROM rvu WHERE hcpcs IN ('11102', 'A0021');
                UPDATE saved SET work_rvu = 0.67 WHERE hcpcs = '11102';
                INSERT INTO rvu SELECT * FROM saved;
                """)
        let diff = try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: moved))
        #expect(diff.rvuAdded.isEmpty && diff.rvuRemoved.isEmpty)
        #expect(
            diff.rvuChanged.map { "\($0.key) \($0.changes.map { "\($0.field) \($0.old)->\($0.new)" })" } == [
                #"11102 ["work_rvu 0.66->0.67"]"#
            ])
        let same = try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: old))
        #expect(same.isEmpty)
    }

    /// An edit of a copy of the sample RVU26A catalog (run outside a transaction) and what the
    /// diff from the original reports: one change of `99213` (none: nothing).
    struct Edit: CustomTestStringConvertible, Sendable {
        var name: String
        var sql: String
        var change: String?
        var testDescription: String { name }
    }

    static let edits: [Edit] = [
        Edit(name: "another page size", sql: "PRAGMA page_size = 1024; VACUUM;", change: nil),
        Edit(name: "WAL mode", sql: "PRAGMA journal_mode = WAL;", change: nil),
        Edit(
            name: "a whole number stored in a REAL column",
            sql: "UPDATE rvu SET work_rvu = 2 WHERE hcpcs = '99213' AND variant = 'general'", change: "work_rvu 1.30->2.00"),
        Edit(
            name: "a value longer than a page",
            sql: "UPDATE code SET description = printf('%.*c', 9000, 'x') WHERE code = '99213'",
            change: "description"),
    ]

    @Test(arguments: edits) func editsOfTheFile(edit: Edit) throws {
        let (_, new) = try SampleCatalogs.built.get()
        let edited = "\(SampleCatalogs.folder)/edited-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: new, toPath: edited)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: edited + suffix) }
        }
        let queue = try DatabaseQueue(path: edited)
        try queue.writeWithoutTransaction { db in try db.execute(sql: edit.sql) }
        try queue.close()
        let diff = try CatalogDiff.compare(CatalogReader(path: new), CatalogReader(path: edited))
        let changes =
            diff.rvuChanged.map { "\($0.key) \($0.changes.map { "\($0.field) \($0.old)->\($0.new)" }.joined(separator: ", "))" }
            + diff.codesChanged.map { "\($0.code) \($0.changes.map(\.field).joined(separator: ", "))" }
        #expect(changes == (edit.change.map { ["99213\(edit.sql.contains("qpp") ? " (qpp)" : "") \($0)"] } ?? []))
        #expect(try CatalogDiff.compare(CatalogReader(path: edited), CatalogReader(path: edited)).isEmpty)
    }

    /// The differences the sample generator put between RVU25D and RVU26A (Samples/README.md).
    @Test func knownDifferencesBetweenTheSamples() throws {
        let diff = try SampleCatalogs.diff()
        #expect(diff.codesAdded.map(\.code) == ["99445", "J0132"])
        #expect(diff.codesRemoved.map(\.code) == ["A4206"])
        #expect(diff.codesChanged.isEmpty)
        let general = diff.rvuChanged.filter { $0.key.variant == "general" }
        func changes(_ code: String) -> [String] {
            general.first { $0.key.hcpcs == code && $0.key.modifier.isEmpty }?.changes
                .filter { !["conversion_factor", "pricing_indicator"].contains($0.field) }.map { "\($0.field) \($0.old)->\($0.new)" } ?? []
        }
        #expect(
            changes("99213") == [
                "nonfacility_pe_rvu 1.35->1.39", "facility_pe_rvu 0.57->0.55", "nonfacility_total 2.75->2.79", "facility_total 1.97->1.95",
            ])
        #expect(changes("99214").first == "work_rvu 1.92->1.95")
        #expect(changes("20610") == ["status A->D"])
        #expect(
            general.allSatisfy { row in
                row.changes.contains { $0.field == "conversion_factor" && $0.old == "32.3465" && $0.new == "33.4009" }
            })
        #expect(diff.rvuAdded.filter { $0.key.variant == "general" }.map(\.key.hcpcs) == ["99445", "J0132"])
        #expect(diff.rvuAdded.filter { $0.key.variant == "qpp" }.count == 36, "the QPP file is new in 2026")
        #expect(diff.rvuRemoved.map(\.key.description) == ["A4206"])
        let visit = try #require(
            diff.payments.first { $0.key.hcpcs == "99213" && $0.key.variant == "general" && $0.setting == "nonfacility" })
        // 2.75 x 32.3465 = 88.95; 2.79 x 33.4009 = 93.19.
        #expect(visit.old?.description == "88.95" && visit.new?.description == "93.19" && visit.dollars?.description == "4.24")
        #expect(DiffReport.percent(visit.percent) == "+4.77%")
        let alabama = try #require(diff.localitiesChanged.first { $0.mac == "10112" })
        #expect(alabama.changes.contains(.init(field: "pe_gpci", old: "0.869", new: "0.873")))
        #expect(
            diff.otherChanges.map { "\($0.table) \($0.key) \($0.changes.map { "\($0.field) \($0.old)->\($0.new)" })" } == [
                #"opps_cap 71250-TC 10112/00 ["facility_price 62.21->63.05", "nonfacility_price 62.21->63.05"]"#
            ])
        #expect(!diff.metadata.contains { $0.field == "tool_version" || $0.field == "catalog_version" })
    }

    @Test func reportsMatchTheirGoldens() throws {
        let diff = try SampleCatalogs.diff()
        let rules = [DiffGateRule.removedCurated, .deletedCurated, .paymentChange(percent: 4)]
        let report = DiffReport(diff: diff, rules: rules)
        try Golden.check(report.markdown, against: "RVU25D-RVU26A.diff.md")
        try Golden.check(report.json.rendered(indent: 2) + "\n", against: "RVU25D-RVU26A.diff.json")
        try Golden.check(report.text, against: "RVU25D-RVU26A.diff.txt")
        // Five payment changes over 4%, 33 payments of paid rows that appear (the QPP rows, new in
        // 2026, and the new code 99445), and 20610 (curated) goes from A to D.
        #expect(report.gateFailures.count == 39)
        #expect(report.gateFailures.filter { $0.hasSuffix("(a paid row appeared)") }.count == 33)
        #expect(report.gateFailures.contains("deleted-curated: 20610 status A -> D for a curated code"))
    }

    /// A catalog whose key index is damaged fails SQLite's integrity check and is not compared.
    @Test func aDamagedCatalogIsNotCompared() throws {
        let (old, new) = try SampleCatalogs.built.get()
        let damaged = "\(SampleCatalogs.folder)/damaged-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: new, toPath: damaged)
        defer { try? FileManager.default.removeItem(atPath: damaged) }
        try SampleCatalogs.damageIndex(of: damaged)
        for (from, to) in [(old, damaged), (damaged, old)] {
            #expect {
                try CatalogDiff.compare(CatalogReader(path: from), CatalogReader(path: to))
            } throws: { error in
                let diagnostic = (error as? DiagnosticError)?.diagnostic
                return diagnostic?.location?.file == damaged
                    && diagnostic?.message.hasPrefix("the file is damaged (SQLite's integrity check: ") == true
            }
        }
    }

    @Test func aCatalogAgainstItselfIsEmpty() throws {
        let (old, _) = try SampleCatalogs.built.get()
        let diff = try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: old))
        #expect(diff.isEmpty)
        let json = DiffReport(diff: diff).json.rendered()
        #expect(json.contains(#""identical":true"#))
        #expect(json.contains(#""rvu":{"added":[],"removed":[],"changed":[]}"#))
    }

    @Test func filters() throws {
        let diff = try SampleCatalogs.diff()
        let onlyWork = diff.filtered(.init(fields: ["work_rvu"], variant: "general"))
        #expect(onlyWork.rvuChanged.map(\.key.hcpcs) == ["99214"])
        #expect(onlyWork.rvuAdded.isEmpty && onlyWork.codesAdded.isEmpty && onlyWork.localitiesChanged.isEmpty)
        let removed = diff.filtered(.init(only: [.removed]))
        #expect(removed.codesRemoved.map(\.code) == ["A4206"] && removed.rvuChanged.isEmpty && removed.payments.isEmpty)
        let visits = diff.filtered(.init(codePattern: "992*"))
        #expect(Set(visits.rvuChanged.map(\.key.hcpcs)) == ["99202", "99213", "99214"])
        #expect(CatalogDiff.Filter.matches(Array("D0386".utf8), Array("D0???".utf8)))
        #expect(!CatalogDiff.Filter.matches(Array("D0386".utf8), Array("D0??".utf8)))
    }

    @Test func gateRules() throws {
        #expect(DiffGateRule("payment-change:12.5") == .paymentChange(percent: 12.5))
        #expect(DiffGateRule("payment-change:x") == nil && DiffGateRule("nonsense") == nil)
        var diff = try SampleCatalogs.diff()
        #expect(DiffGateRule.removedCurated.reasons(diff).isEmpty, "A4206 has no curated content")
        diff.codesRemoved[0].curated = true
        #expect(DiffGateRule.removedCurated.reasons(diff) == ["removed-curated: A4206 was removed but has curated content"])
        diff.curatedCodes.insert("20610")
        #expect(DiffGateRule.deletedCurated.reasons(diff) == ["deleted-curated: 20610 status A -> D for a curated code"])
    }

    @Test func aLargeDiffFitsAPullRequestComment() throws {
        var diff = try SampleCatalogs.diff()
        let change = try #require(diff.rvuChanged.first)
        diff.rvuChanged = (0..<20_000).map { index in
            CatalogDiff.RVUChange(
                key: .init(hcpcs: String(format: "%05d", index), modifier: "", variant: "general"), changes: change.changes)
        }
        let markdown = DiffReport(diff: diff).markdown
        #expect(markdown.utf8.count <= DiffReport.markdownLimit)
        #expect(markdown.contains("more in the JSON report"))
    }
}
