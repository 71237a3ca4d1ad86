import Foundation
import RVUCore
import RVUPipeline
import RVUTestSupport
import Testing

@testable import RVUCatalog

/// One archive imported under every spelling of its id gives one `catalog_version`; the spelling
/// stays in `release_revision`.
@Suite struct VersionSpellingTests {
    /// Imports `archive` as `id` with the sample curated content; the catalog's version and
    /// release metadata.
    static func versionAndMeta(archive: String, id: String, folder: String) throws -> (String, [String: String]) {
        let output = "\(folder)/\(UUID().uuidString).sqlite"
        let result = try Pipeline.run(
            release: try ReleaseID(parsing: id),
            options: .init(
                source: archive, curated: repositoryRoot.appendingPathComponent("Samples/curated").path, output: output,
                strict: false))
        let written = try #require(result.written, "\(result.diagnostics.filter { $0.severity == .error })")
        let reader = try CatalogReader(path: written.path)
        #expect(try reader.computedVersion() == written.catalogVersion, "the stored version is the one recomputed")
        return (written.catalogVersion, try reader.meta())
    }

    static func check(archive: String, spellings: [String], base: String, revisions: [String]) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let results = try spellings.map { try versionAndMeta(archive: archive, id: $0, folder: folder) }
        let versions = Set(results.map(\.0))
        #expect(versions.count == 1, "\(zip(spellings, results.map(\.0)).map { "\($0) \($1)" })")
        #expect(versions.allSatisfy { $0.hasPrefix("\(base)-") })
        #expect(results.map { $0.1["release_id"] } == Array(repeating: base, count: spellings.count))
        #expect(results.map { $0.1["release_revision"] ?? "" } == revisions, "the revision is kept")
    }

    @Test func theSamplesUnderEverySpelling() throws {
        try Self.check(
            archive: Golden.samples("releases/RVU25D.zip"), spellings: ["RVU25D", "rvu25d-updated-10-15-2025", "rvu25d.zip"],
            base: "RVU25D", revisions: ["original", "updated 2025-10-15", "original"])
        try Self.check(
            archive: Golden.samples("releases/RVU26A.zip"), spellings: ["RVU26A", "rvu26a-updated-12-29-2025"], base: "RVU26A",
            revisions: ["original", "updated 2025-12-29"])
    }

    @Test(.enabled(if: RealCatalog.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
    func theRealRVU24BUnderEverySpelling() throws {
        let folder = try #require(RealCatalog.folder)
        try Self.check(
            archive: "\(folder)/RVU24B.zip", spellings: ["RVU24B", "rvu24b-updated-03-18-2024"], base: "RVU24B",
            revisions: ["original", "updated 2024-03-18"])
    }
}
