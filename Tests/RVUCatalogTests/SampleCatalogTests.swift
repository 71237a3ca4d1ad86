import Foundation
import GRDB
import RVUCore
import RVUPipeline
import RVUReports
import RVUTestSupport
import Testing

@testable import RVUCatalog

let repositoryRoot = Golden.repositoryRoot

/// Runs the whole pipeline on a sample release into a temporary folder.
func buildSampleCatalog(_ id: String, output: String) throws -> Pipeline.RunResult {
    let result = try Pipeline.run(
        release: try ReleaseID(parsing: id),
        options: .init(
            source: repositoryRoot.appendingPathComponent("Samples/releases").path,
            curated: repositoryRoot.appendingPathComponent("Samples/curated").path, output: output, strict: false))
    if result.written != nil { #expect(try referenceViolations(in: output).isEmpty) }
    return result
}

/// What `PRAGMA foreign_key_check` finds in a catalog: the writer does not check references
/// (they hold by construction), the tests do.
func referenceViolations(in path: String) throws -> [String] {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in
        try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map {
            "\($0["table"] ?? "") row \($0["rowid"] ?? "") -> \($0["parent"] ?? "")"
        }
    }
}

func checkGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    try Golden.check(actual, against: name, sourceLocation: sourceLocation)
}

@Suite struct SampleCatalogTests {
    /// The check the tests make of every sample catalog finds a reference that does not resolve.
    @Test func theReferenceCheckFindsADanglingRow() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/RVU26A.sqlite"
        _ = try buildSampleCatalog("RVU26A", output: path)
        var configuration = GRDB.Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in try db.execute(sql: "DELETE FROM code WHERE code IN (SELECT code FROM code_synonym LIMIT 1)") }
        try queue.close()
        #expect(try referenceViolations(in: path).first?.hasPrefix("code_synonym row") == true)
    }

    @Test(arguments: ["RVU25D", "RVU26A"])
    func catalogMatchesItsGolden(id: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try buildSampleCatalog(id, output: "\(folder)/\(id).sqlite")
        #expect(!result.diagnostics.containsError, "\(result.diagnostics)")
        let written = try #require(result.written)
        let dump = try CatalogReader(path: written.path).dump()
        try checkGolden(dump, "\(id).catalog.txt")
        let page = try #require(try CatalogReader(path: written.path).page(for: "99213"))
        try checkGolden(CodePageRenderer.render(page, format: .markdown), "\(id).show-99213.md")
        let dental = try #require(try CatalogReader(path: written.path).page(for: "D0386"))
        try checkGolden(CodePageRenderer.render(dental, format: .text), "\(id).show-D0386.txt")
    }

    @Test func twoRunsGiveTheSameBytes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try buildSampleCatalog("RVU26A", output: "\(folder)/one.sqlite")
        let second = try buildSampleCatalog("RVU26A", output: "\(folder)/two.sqlite")
        #expect(first.written?.catalogVersion == second.written?.catalogVersion)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(folder)/one.sqlite"))
                == Data(contentsOf: URL(fileURLWithPath: "\(folder)/two.sqlite")))
    }

    @Test func aFailingRunLeavesTheOldCatalog() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/RVU26A.sqlite"
        _ = try buildSampleCatalog("RVU26A", output: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // Broken curated content: the run stops before writing.
        let curated = "\(folder)/curated"
        try FileManager.default.createDirectory(atPath: curated, withIntermediateDirectories: true)
        try Data("codes:\n  - code: \"99213\"\n    titel: typo\n".utf8).write(to: URL(fileURLWithPath: "\(curated)/bad.yaml"))
        let result = try Pipeline.run(
            release: try ReleaseID(parsing: "RVU26A"),
            options: .init(
                source: repositoryRoot.appendingPathComponent("Samples/releases").path, curated: curated, output: path, strict: false))
        #expect(result.written == nil)
        #expect(result.diagnostics.contains { $0.description.hasPrefix("curated/bad.yaml:3:5: error: unknown key 'titel'") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try visibleFiles(folder) == ["RVU26A.sqlite", "curated"])
    }
}
