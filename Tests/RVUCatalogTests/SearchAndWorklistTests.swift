import Foundation
import RVUCore
import RVUMerge
import RVUPipeline
import RVUReports
import Testing
import ZIPFoundation

@testable import RVUCatalog

/// The sample catalogs RVU25D and RVU26A, built once into a temporary folder.
enum SampleCatalogs {
    static let built: Result<[String: String], any Error> = Result {
        let folder = try temporaryFolder()
        var paths: [String: String] = [:]
        for id in ["RVU25D", "RVU26A"] {
            paths[id] = try #require(try buildSampleCatalog(id, output: "\(folder)/\(id).sqlite").written).path
        }
        return paths
    }

    static func reader(_ id: String) throws -> CatalogReader {
        try CatalogReader(path: try #require(try built.get()[id]))
    }
}

/// The codes of a sample release's PPRRVU files, read by the importer (not from a catalog).
func releaseCodes(_ id: String) throws -> Set<String> {
    let imported = try Pipeline.importRelease(
        .archive(path: repositoryRoot.appendingPathComponent("Samples/releases/\(id).zip").path), release: try ReleaseID(parsing: id))
    return Set(Variant.allCases.flatMap { imported.rvu($0).map(\.hcpcs) })
}

/// The codes of the sample curated YAML files, parsed directly.
func curatedCodes() throws -> Set<String> {
    let files = try Pipeline.curatedFiles(in: repositoryRoot.appendingPathComponent("Samples/curated").path)
    return Set(CuratedContentParser.parse(files).0.entries.keys)
}

@Suite struct SearchTests {
    @Test func byNumberExactFirstThenPrefixInCodeOrder() throws {
        let reader = try SampleCatalogs.reader("RVU26A")
        #expect(try reader.search("99213").first?.code == "99213")
        let codes = try releaseCodes("RVU26A").union(curatedCodes())
        let expected = codes.filter { $0.hasPrefix("9921") }.sorted()
        #expect(expected.count >= 2)
        #expect(try reader.search("9921*").map(\.code) == expected)
        #expect(try reader.search("9921").map(\.code) == expected)
    }

    @Test func aCodeWithoutATitleIsFoundByItsNumber() throws {
        let reader = try SampleCatalogs.reader("RVU26A")
        let untitled = try reader.read { db in try String.fetchAll(db, sql: "SELECT code FROM code WHERE title IS NULL ORDER BY code") }
        let code = try #require(untitled.first)
        let found = try reader.search(code)
        #expect(found.first == SearchResult(code: code, title: nil, category: CodeCategory.of(code)?.id ?? ""))
    }

    @Test func bySynonymAndDescriptionWords() throws {
        let reader = try SampleCatalogs.reader("RVU26A")
        // "dental ultrasound" is a synonym of D0386; "salivary" is in 00100's description.
        #expect(try reader.search("dental ultrasound").first?.code == "D0386")
        #expect(try reader.search("Salivary").map(\.code).contains("00100"))
        #expect(try reader.search("ultraso*").map(\.code).contains("D0386"))
        #expect(try reader.search("dental ultrasound", limit: 1).count == 1)
    }

    @Test(arguments: ["\"", "AND(", "-", "NOT", "a\"b OR", "*", "code:", "(((", "NEAR(x y)", "\"\"\"", "^", "99213 OR", ""])
    func hostileQueriesNeverBreakTheSyntax(query: String) throws {
        let reader = try SampleCatalogs.reader("RVU26A")
        _ = try reader.search(query)
    }
}

@Suite struct WorklistTests {
    @Test func sampleCountsMatchTheReleaseAndTheYAML() throws {
        let new = try SampleCatalogs.reader("RVU26A")
        let old = try SampleCatalogs.reader("RVU25D")
        let worklist = Worklist(release: "RVU26A", codes: try new.codeStates(), since: "RVU25D", old: try old.codeStates())
        let release = try releaseCodes("RVU26A")
        let previous = try releaseCodes("RVU25D")
        let curated = try curatedCodes()
        #expect(worklist.releaseCodes == release.count)
        #expect(Set(worklist.uncurated.map(\.code)) == release.subtracting(curated))
        #expect(Set(worklist.new.map(\.code)) == release.subtracting(previous))
        #expect(worklist.new.allSatisfy { $0.curated == curated.contains($0.code) })
        #expect(Set(worklist.contentOnly) == curated.subtracting(release))
        let gone = curated.intersection(previous).subtracting(release)
        #expect(Set(worklist.deleted.filter { $0.status == nil }.map(\.code)) == gone)
        #expect(worklist.deleted.allSatisfy { $0.status == nil || Worklist.deletedStatuses.contains($0.status ?? "") })
        #expect(!worklist.deleted.isEmpty && !worklist.uncurated.isEmpty && !worklist.new.isEmpty && !worklist.contentOnly.isEmpty)
    }

    @Test func formats() throws {
        let new = try SampleCatalogs.reader("RVU26A")
        let old = try SampleCatalogs.reader("RVU25D")
        let worklist = Worklist(release: "RVU26A", codes: try new.codeStates(), since: "RVU25D", old: try old.codeStates())
        let csv = worklist.render(.csv).split(separator: "\n")
        #expect(
            csv.count == 1 + worklist.uncurated.count + worklist.new.count + worklist.deleted.count + worklist.contentOnly.count)
        let json = worklist.render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["release", "since", "counts", "uncurated", "new", "deleted", "content_only"])
        let markdown = worklist.render(.markdown, maximumCodes: 1)
        #expect(markdown.hasPrefix("## Editors' worklist: RVU26A since RVU25D\n\n| list | codes |"))
        #expect(markdown.contains("and \(worklist.new.count - 1) more"))
        let alone = Worklist(release: "RVU26A", codes: try new.codeStates())
        #expect(alone.new.isEmpty && alone.since == nil)
    }
}

/// The statuses of each code of the real release's PPRRVU CSV, read with ZIPFoundation and a
/// plain split (the status is the 28th field from the end, whatever commas the descriptor holds):
/// an independent count.
func independentStatuses(archive path: String) throws -> [String: Set<String>] {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    let entry = try #require(archive.first { $0.path.uppercased().hasPrefix("PPRRVU") && $0.path.lowercased().hasSuffix(".csv") })
    var data = Data()
    _ = try archive.extract(entry) { data.append($0) }
    var statuses: [String: Set<String>] = [:]
    for line in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 31, fields[0].count == 5, fields[0] != "HCPCS", fields[0].allSatisfy({ $0.isLetter || $0.isNumber }) else {
            continue
        }
        statuses[String(fields[0]), default: []].insert(String(fields[fields.count - 28]))
    }
    return statuses
}

@Suite(.enabled(if: RealCatalog.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
struct RealWorklistTests {
    /// RVU24B with curated entries for codes of every kind: a code deleted or not payable on every
    /// row is listed as deleted; a lab test whose global row is X but whose professional
    /// component is payable is not; the counts agree with the CSV read independently.
    @Test func theRealReleaseCountsAndDeletions() throws {
        let folder = try #require(RealCatalog.folder)
        let statuses = try independentStatuses(archive: "\(folder)/RVU24B.zip")
        let gone: Set<String> = ["D", "F", "I", "X"]
        let mixed = statuses.filter { $0.value.contains("X") && !$0.value.isSubset(of: gone) }.keys.sorted()
        let deleted = statuses.filter { $0.value.isSubset(of: gone) }.keys.sorted()
        let active = statuses.filter { $0.value == ["A"] }.keys.sorted()
        try #require(mixed.count >= 3 && deleted.count >= 3 && active.count >= 3)
        let curated = Array(mixed.prefix(3) + deleted.prefix(3) + active.prefix(3))
        let contentOnly = "0999T"
        #expect(statuses[contentOnly] == nil)

        let base = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let entries = (curated + [contentOnly]).map { code in
            """
              - code: "\(code)"
                title: Made-up title \(code)
                description: Made-up description.
                plain_language: Made-up plain text.
                clinical_context: Made-up context.
                specialties: [Testing]

            """
        }
        try FileManager.default.createDirectory(atPath: "\(base)/curated", withIntermediateDirectories: true)
        try Data(("codes:\n" + entries.joined()).utf8).write(to: URL(fileURLWithPath: "\(base)/curated/codes.yaml"))
        let result = try Pipeline.run(
            release: ReleaseID(year: 2024, quarter: .b),
            options: .init(source: "\(folder)/RVU24B.zip", curated: "\(base)/curated", output: "\(base)/RVU24B.sqlite", strict: false))
        let written = try #require(result.written, "\(result.diagnostics.prefix(3))")

        let worklist = Worklist(release: "RVU24B", codes: try CatalogReader(path: written.path).codeStates())
        #expect(worklist.releaseCodes == statuses.count)
        #expect(Set(worklist.uncurated.map(\.code)) == Set(statuses.keys).subtracting(curated))
        #expect(worklist.deleted.map(\.code) == Array(deleted.prefix(3)))
        #expect(worklist.deleted.allSatisfy { statuses[$0.code]?.contains($0.status ?? "") == true })
        #expect(worklist.contentOnly == [contentOnly])
    }
}
