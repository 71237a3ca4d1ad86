import Foundation
import GRDB
import RVUCatalog
import RVUCore
import RVUImport
import RVUMerge
import RVUPipeline
import RVUReports
import RVUTestSupport
import Testing

/// `rvuimport curated scaffold`: stubs that check refuses until filled, that import once filled,
/// with CMS's public HCPCS Level II descriptors as hints and never CPT or CDT text.
@Suite(.serialized) struct CuratedScaffoldTests {
    /// Builds the sample RVU26A catalog from `curated` (nil: none) into `base`.
    static func catalog(in base: URL, curated: String?, descriptors: DescriptorPolicy = .withheld) throws -> String {
        let result = try Pipeline.run(
            release: ReleaseID(year: 2026, quarter: .a),
            options: .init(
                source: Golden.samples("releases"), curated: curated, output: base.appendingPathComponent("RVU26A-\(UUID()).sqlite").path,
                strict: false, descriptors: descriptors))
        return try #require(result.written, "\(result.diagnostics)").path
    }

    /// The codes of the sample release's RVU files, read by the importer.
    static func releaseCodes() throws -> Set<String> {
        let imported = try Pipeline.importRelease(
            .archive(path: Golden.samples("releases/RVU26A.zip")), release: ReleaseID(year: 2026, quarter: .a))
        return Set(Variant.allCases.flatMap { imported.rvu($0).map(\.hcpcs) })
    }

    /// The codes a stub file holds, read from its text.
    static func stubCodes(_ yaml: String) -> [String] {
        yaml.split(separator: "\n").filter { $0.hasPrefix("  - code: \"") }.map { String($0.dropFirst(11).dropLast()) }
    }

    @Test func roundTripScaffoldCheckFillImport() throws {
        let (base, folder) = try curatedCopy()
        defer { try? FileManager.default.removeItem(at: base) }
        let catalog = try Self.catalog(in: base, curated: folder.path)
        let worklist = base.appendingPathComponent("worklist.json")
        let listed = try Binary.run(["curated", "worklist", "--catalog", catalog, "--format", "json"])
        #expect(listed.status == 0)
        try Data(listed.stdout.utf8).write(to: worklist)

        let output = folder.appendingPathComponent("codes/new.yaml")
        let scaffold = try Binary.run(["curated", "scaffold", "--worklist", worklist.path, "--catalog", catalog, "--output", output.path])
        #expect(scaffold.status == 0 && scaffold.stderr.isEmpty && scaffold.stdout.isEmpty, "\(scaffold.stderr)")
        let yaml = try String(contentsOf: output, encoding: .utf8)
        let curated = Set(CuratedContentParser.parse(try Pipeline.curatedFiles(in: Golden.samples("curated"))).0.entries.keys)
        let expected = try Self.releaseCodes().subtracting(curated).sorted()
        #expect(expected.count >= 4)
        #expect(Self.stubCodes(yaml) == expected)
        // The public Level II descriptors as hints, quotes and all; none for the CPT code.
        #expect(
            yaml.contains(
                "  - code: \"A0021\"\n    # CMS descriptor (public, HCPCS Level II): Ambulance svc out of state\n    title: TODO\n"))
        #expect(yaml.contains("    # CMS descriptor (public, HCPCS Level II): Cane w/ 4\" rubber tip\n"))
        #expect(yaml.contains("  - code: \"99445\"\n    title: TODO\n    also_known_as: [TODO]\n"))

        // check: an error at every placeholder, at the word itself.
        let check = try CuratedCheck.run(folder: folder.path)
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(check.diagnostics.count == expected.count * 6)
        for diagnostic in check.diagnostics {
            #expect(diagnostic.severity == .error && diagnostic.code == .curatedPlaceholder)
            let location = try #require(diagnostic.location)
            #expect(location.file == "curated/codes/new.yaml")
            let line = try #require(location.line.map { lines[$0 - 1] })
            let column = try #require(location.column)
            #expect(line.dropFirst(column - 1).hasPrefix("TODO"), "\(diagnostic)")
        }
        let binary = try Binary.run(["curated", "check", folder.path])
        #expect(binary.status == 1)
        #expect(binary.stderr.contains("curated/codes/new.yaml:5:12: error: 99445: 'title' is still the placeholder TODO; write the text"))
        // The import refuses it too.
        let refused = try Pipeline.run(
            release: ReleaseID(year: 2026, quarter: .a),
            options: .init(
                source: Golden.samples("releases"), curated: folder.path, output: base.appendingPathComponent("refused.sqlite").path,
                strict: false))
        #expect(refused.written == nil && refused.diagnostics.contains { $0.code == .curatedPlaceholder })

        // Filled in: check passes and the import titles every code with the editors' text.
        try Data(yaml.replacingOccurrences(of: "TODO", with: "Written by the editors").utf8).write(to: output)
        #expect(try CuratedCheck.run(folder: folder.path).diagnostics.isEmpty)
        #expect(try Binary.run(["curated", "check", folder.path]).status == 0)
        let filled = try CatalogReader(path: try Self.catalog(in: base, curated: folder.path)).codeTitles()
        for code in expected {
            #expect(filled[code]?.titleSource == "curated" && filled[code]?.title == "Written by the editors", "\(code)")
        }
    }

    @Test func cptAndDentalTextIsNeverAHintEvenWithLicensedDescriptors() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let catalog = try Self.catalog(in: base, curated: nil, descriptors: .licensed)
        let titles = try CatalogReader(path: catalog).codeTitles()
        let codes = ["99213", "D0386", "0001F", "00100", "A0021", "J0132"]
        // The licensed catalog does hold the CPT and CDT descriptors: this test can fail.
        let proprietary = try codes.prefix(4).map { code in
            let entry = try #require(titles[code])
            #expect(entry.titleSource == "cms")
            return try #require(entry.title)
        }
        let scaffold = CuratedScaffold(codes: codes, catalog: titles, release: "RVU26A")
        #expect(scaffold.diagnostics.isEmpty)
        #expect(scaffold.stubs.filter { $0.hint != nil }.map(\.code) == ["A0021", "J0132"])
        for text in proprietary { #expect(!scaffold.yaml.contains(text), "\(text)") }
        let binary = try Binary.run(["curated", "scaffold", "--catalog", catalog] + codes)
        #expect(binary.status == 0 && binary.stdout == scaffold.yaml)
        #expect(binary.stdout.contains("# CMS descriptor (public, HCPCS Level II): \(try #require(titles["J0132"]?.title))\n"))
    }

    @Test func hostileCodesAndWorklists() throws {
        let (base, folder) = try curatedCopy()
        defer { try? FileManager.default.removeItem(at: base) }
        for code in ["99213\"\n  - code: x", "d0386", "9921", "992130", "99213 ", "", "Ⅸ9213", "TODO!"] {
            let result = try Binary.run(["curated", "scaffold", code])
            #expect(result.status == 64, "\(code)")
            #expect(result.stdout.isEmpty && result.stderr.contains("is not a HCPCS code"), "\(result.stderr)")
        }
        #expect(try Binary.run(["curated", "scaffold"]).status == 64)
        #expect(try Binary.run(["curated", "scaffold", "99213", "--worklist", "w.json"]).status == 64)
        #expect(try Binary.run(["curated", "scaffold", "99213", "--ouptut", "x.yaml"]).status == 64)

        // Duplicates: one stub each, a warning; the stubs parse, only their placeholders refused.
        let duplicates = try Binary.run(["curated", "scaffold", "G0105", "99213", "G0105"])
        #expect(duplicates.status == 0)
        #expect(duplicates.stderr == "warning: G0105 is given more than once; it gets one stub\n")
        #expect(Self.stubCodes(duplicates.stdout) == ["99213", "G0105"])
        let (_, found) = CuratedContentParser.parse([.init(name: "stub.yaml", text: duplicates.stdout)])
        #expect(found.count == 12 && found.allSatisfy { $0.code == .curatedPlaceholder }, "\(found)")

        // With a catalog: unknown and already curated codes are warnings.
        let catalog = try Self.catalog(in: base, curated: folder.path)
        let known = try Binary.run(["curated", "scaffold", "99999", "99213", "--catalog", catalog])
        #expect(known.status == 0)
        #expect(known.stderr.contains("warning: 99999 is not in RVU26A's release: its entry would stay content-only"), "\(known.stderr)")
        #expect(known.stderr.contains("warning: 99213 has a curated entry already in RVU26A"))
        #expect(Self.stubCodes(known.stdout) == ["99213", "99999"])

        // A worklist with a hostile code: exit 1, nothing written.
        let worklist = base.appendingPathComponent("w.json")
        let output = base.appendingPathComponent("out.yaml")
        try Data(#"{"uncurated": [{"code": "A0021"}, {"code": "99213\"\n  - code: x"}], "new": []}"#.utf8).write(to: worklist)
        let hostile = try Binary.run(["curated", "scaffold", "--worklist", worklist.path, "--output", output.path])
        #expect(hostile.status == 1)
        #expect(hostile.stderr.hasPrefix("\(worklist.path): error: '99213\"\\u{A}  - code: x' is not a HCPCS code"), "\(hostile.stderr)")
        #expect(hostile.stderr.filter { $0 == "\n" }.count == 1, "one line: the code's line break escaped")
        #expect(!FileManager.default.fileExists(atPath: output.path))
        // Only the new codes not curated are taken from 'new'.
        try Data(#"{"uncurated": [], "new": [{"code": "A0021", "curated": false}, {"code": "99213", "curated": true}]}"#.utf8)
            .write(to: worklist)
        #expect(Self.stubCodes(try Binary.run(["curated", "scaffold", "--worklist", worklist.path]).stdout) == ["A0021"])
        for text in ["not json", "[]", #"{"new": []}"#, #"{"uncurated": [{"code": 99213}]}"#] {
            try Data(text.utf8).write(to: worklist)
            let refused = try Binary.run(["curated", "scaffold", "--worklist", worklist.path])
            #expect(refused.status == 1, "\(text)")
            #expect(refused.stderr.hasPrefix("\(worklist.path): error: not a worklist: "), "\(refused.stderr)")
        }
        #expect(try Binary.run(["curated", "scaffold", "--worklist", base.appendingPathComponent("none.json").path]).status == 74)
    }

    /// A descriptor edited into a catalog with characters a YAML reader breaks lines on (LF, CR,
    /// NEL, and U+2028/U+2029, which YAML 1.1 readers such as libyaml and PyYAML treat as line
    /// breaks) or refuses (a byte order mark, a direction override) stays inside its comment:
    /// the filled stubs hold the keys written, nothing injected.
    @Test func aDescriptorCannotLeaveItsComment() throws {
        let (base, folder) = try curatedCopy()
        defer { try? FileManager.default.removeItem(at: base) }
        let catalog = try Self.catalog(in: base, curated: folder.path)
        for separator in ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{202E}", "\u{FFFE}"] {
            let queue = try DatabaseQueue(path: catalog)
            try queue.write { db in
                try db.execute(
                    sql: "UPDATE code SET title = ? WHERE code = 'A0021'",
                    arguments: ["Ambulance\(separator)    billing_notes: injected\(separator)  - code: \"99999\""])
            }
            try queue.close()
            let stubs = try Binary.run(["curated", "scaffold", "A0021", "--catalog", catalog])
            #expect(stubs.status == 0, "\(stubs.stderr)")
            let lines = stubs.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let hints = lines.filter { $0.hasPrefix("    # CMS descriptor") }
            #expect(hints == ["    # CMS descriptor (public, HCPCS Level II): Ambulance     billing_notes: injected   - code: \"99999\""])
            let filled = stubs.stdout.replacingOccurrences(of: "TODO", with: "Filled in")
            let (content, found) = CuratedContentParser.parse([.init(name: "stub.yaml", text: filled)])
            #expect(found.isEmpty, "\(found)")
            #expect(Array(content.entries.keys) == ["A0021"])
            #expect(content.entries["A0021"]?.billingNotes == nil)
        }
    }

    @Test func theOutputIsWrittenAtomicallyAndNeverOverAFolder() throws {
        let (base, _) = try curatedCopy()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("stubs.yaml")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let refused = try Binary.run(["curated", "scaffold", "99213", "--output", folder.path, "--force"])
        #expect(refused.status == 74)
        #expect(refused.stderr == "\(folder.path): error: a folder is at the output path; choose another --output\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let file = base.appendingPathComponent("mine.yaml")
        try Data("someone's work\n".utf8).write(to: file)
        #expect(try Binary.run(["curated", "scaffold", "99213", "--output", file.path]).status == 74)
        #expect(try String(contentsOf: file, encoding: .utf8) == "someone's work\n")
        #expect(try Binary.run(["curated", "scaffold", "99213", "--output", file.path, "--force"]).status == 0)
        #expect(Self.stubCodes(try String(contentsOf: file, encoding: .utf8)) == ["99213"])

        let fifo = base.appendingPathComponent("fifo.yaml").path
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(try Binary.run(["curated", "scaffold", "99213", "--output", fifo, "--force"]).status == 74)
        #expect(
            try Binary.run(["curated", "scaffold", "99213", "--output", base.appendingPathComponent("no/such/x.yaml").path]).status == 74)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).filter { $0.contains(".tmp-") }.isEmpty)
    }
}
