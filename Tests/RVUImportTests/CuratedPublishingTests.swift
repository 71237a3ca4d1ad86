import Foundation
import GRDB
import RVUCore
import RVUMerge
import RVUPipeline
import Testing

/// Curated content that is not what editors meant is never published: the run stops before the
/// catalog is written. And a code with 100,000 synonyms goes through to the catalog, each once.
@Suite struct CuratedPublishingTests {
    static let release = ReleaseID(year: 2026, quarter: .a)

    /// A temporary curated folder holding `files` (name, text); removed by `cleanUp`.
    static func folder(_ files: [(String, String)]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curated-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
        }
        return folder
    }

    static func entry(title: String, extra: String = "") -> String {
        """
        codes:
          - code: "99213"
            title: \(title)
            description: An established patient's visit.
            plain_language: A check-up with your doctor.
            clinical_context: Used for stable problems.
            specialties: [Family Medicine]
        \(extra)
        """
    }

    @Test(arguments: ["~", "null", "", "!!binary aGVsbG8=", "[a, b]"])
    func aTitleThatIsNotTextPublishesNothing(title: String) throws {
        let folder = try Self.folder([("codes.yaml", Self.entry(title: title))])
        let output = "\(folder).sqlite"
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: output)
        }
        let result = try Pipeline.run(
            release: Self.release, options: .init(source: "Samples/releases", curated: folder, output: output, strict: false))
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.location?.description == "\((folder as NSString).lastPathComponent)/codes.yaml:3:\(title.isEmpty ? 11 : 12)")
        #expect(result.catalog == nil)
        #expect(result.written == nil)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aFiftyMegabyteTitleIsRefusedBeforeItIsRead() throws {
        let text = Self.entry(title: String(repeating: "x", count: 50_000_000))
        let folder = try Self.folder([("huge.yaml", text)])
        let output = "\(folder).sqlite"
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: output)
        }
        let refused = try Pipeline.run(
            release: Self.release, options: .init(source: "Samples/releases", curated: folder, output: output, strict: false))
        let errors = refused.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.curatedFileTooLarge])
        #expect(
            errors.first?.description
                == "\((folder as NSString).lastPathComponent)/huge.yaml: error: the file is \(text.utf8.count) bytes, more than the limit of 8 MiB; split it into smaller files"
        )
        #expect(refused.written == nil)
        #expect(!FileManager.default.fileExists(atPath: output))

        // Under a larger file limit, the field limit refuses it.
        var options = Pipeline.RunOptions(source: "Samples/releases", curated: folder, output: output, strict: false)
        options.curatedLimits.maximumFileBytes = 64 << 20
        let result = try Pipeline.run(release: Self.release, options: options)
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.code) == [.curatedTooLong])
        #expect(result.written == nil)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aHundredThousandSynonymsReachTheCatalogEachOnce() throws {
        let names = (0..<100_000).map { "name \($0)" }
        let list = (names + names.prefix(10)).map { "      - \($0)\n" }.joined()
        let folder = try Self.folder([("codes.yaml", Self.entry(title: "Office visit", extra: "    also_known_as:\n" + list))])
        let output = "\(folder).sqlite"
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: output)
        }
        var options = Pipeline.RunOptions(source: "Samples/releases", curated: folder, output: output, strict: false)
        options.curatedLimits.maximumListItems = 200_000
        let result = try Pipeline.run(release: Self.release, options: options)
        #expect(!result.diagnostics.containsError)
        #expect(result.diagnostics.filter { $0.code == .curatedRepeated }.count == 10)
        #expect(result.written != nil)
        let rows = try DatabaseQueue(path: output).read { db in
            try Row.fetchAll(db, sql: "SELECT synonym, position FROM code_synonym WHERE code = '99213' ORDER BY position")
        }
        #expect(rows.count == 100_000)
        #expect(rows.map { $0["synonym"] as String } == names)
        #expect(rows.last?["position"] == 100_000)
    }
}
