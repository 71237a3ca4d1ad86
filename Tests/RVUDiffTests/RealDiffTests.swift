import Foundation
import RVUCatalog
import RVUCore
import RVUPipeline
import RVUTestSupport
import Testing
import ZIPFoundation

@testable import RVUDiff

/// RVU24B written once with the sample curated content, when $RVU_SHARED_CMS holds it.
enum RealCatalog {
    static let folder = ProcessInfo.processInfo.environment["RVU_SHARED_CMS"]
    static let available = folder.map { FileManager.default.fileExists(atPath: "\($0)/RVU24B.zip") } ?? false

    static let built: Result<String, any Error> = Result {
        guard let folder else { throw DiagnosticError(.internalError, "RVU_SHARED_CMS unset", at: nil) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("diff-rvu24b-\(UUID().uuidString).sqlite").path
        let result = try Pipeline.run(
            release: ReleaseID(year: 2024, quarter: .b),
            options: .init(source: "\(folder)/RVU24B.zip", curated: Golden.samples("curated"), output: output, strict: false))
        guard result.written != nil else { throw DiagnosticError(.internalError, "not written: \(result.diagnostics.prefix(3))", at: nil) }
        return output
    }
}

/// Reads the PPRRVU CSV of an archive with ZIPFoundation and a plain split: an independent count.
func independentRVUKeys(archive path: String) throws -> Set<String> {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    let entry = try #require(archive.first { $0.path.uppercased().hasPrefix("PPRRVU") && $0.path.lowercased().hasSuffix(".csv") })
    var data = Data()
    _ = try archive.extract(entry) { data.append($0) }
    var keys = Set<String>()
    for line in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
        let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count == 5, fields[0] != "HCPCS", fields[0].allSatisfy({ $0.isLetter || $0.isNumber }) else {
            continue
        }
        keys.insert("\(fields[0])|\(fields[1])")
    }
    return keys
}

@Suite(.enabled(if: RealCatalog.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
struct RealDiffTests {
    @Test func rvu24BAgainstTheSampleCountsMatchTheSourceCSVs() throws {
        let real = try RealCatalog.built.get()
        let (sample, _) = try SampleCatalogs.built.get()
        let diff = try CatalogDiff.compare(CatalogReader(path: real), CatalogReader(path: sample))
        let folder = try #require(RealCatalog.folder)
        let old = try independentRVUKeys(archive: "\(folder)/RVU24B.zip")
        let new = try independentRVUKeys(archive: Golden.samples("releases/RVU25D.zip"))
        #expect(old.count == 18534)
        #expect(diff.rvuRemoved.count == old.subtracting(new).count)
        #expect(diff.rvuAdded.count == new.subtracting(old).count)
        #expect(diff.rvuChanged.count <= old.intersection(new).count)
        let oldCodes = Set(old.map { String($0.prefix(5)) })
        let newCodes = Set(new.map { String($0.prefix(5)) })
        #expect(diff.codesRemoved.count == oldCodes.subtracting(newCodes).subtracting(["99215"]).count)
        #expect(DiffReport(diff: diff).markdown.utf8.count <= DiffReport.markdownLimit)
    }
}
