import Foundation
import RVUCore
import RVUPipeline
import RVUTestSupport
import Testing

@testable import RVUImport

/// The release id asked for is checked against what the archive's own files say.
@Suite struct ReleaseIdentityTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let rvu25D = Golden.samples("releases/RVU25D.zip")

    /// RVU25D's RELEASED date, 2025-09-11, is near enough to January 2026 to be RVU26A's: the
    /// name and the title tell.
    static let rvu25DAsRVU26A =
        "this release holds RVU25D, not RVU26A: the name PPRRVU2025_Oct; the title of PPRRVU2025_Oct.csv, '2025 National Physician Fee Schedule Relative Value File October Release'; check --release, or fetch the archive again if the file is mislabelled"

    func mismatches(_ release: ImportedRelease) -> [Diagnostic] {
        release.diagnostics.filter { $0.code == .releaseMismatch }
    }

    @Test func namesAndTitlesShowTheRelease() {
        func named(_ name: String) -> ReleaseEvidence.Source.Kind? {
            var evidence = ReleaseEvidence()
            evidence.addMemberName(name)
            return evidence.sources.first?.kind
        }
        #expect(named("PPRRVU24_APR.csv") == .named(year: 2024, quarter: .b))
        #expect(named("PPRRVU2026_Jan_nonQPP.xlsx") == .named(year: 2026, quarter: .a))
        #expect(named("PPRRVU2025_Oct.txt") == .named(year: 2025, quarter: .d))
        #expect(named("PPRRVU23_JULY.csv") == .named(year: 2023, quarter: .c))
        #expect(named("PPRRVU2024.csv") == .named(year: 2024, quarter: nil), "a year alone")
        #expect(named("PPRRVU.csv") == nil, "no evidence")
        var evidence = ReleaseEvidence()
        evidence.addTitle("2024 National Physician Fee Schedule Relative Value File April Release", member: "A.csv")
        #expect(evidence.sources.first?.kind == .named(year: 2024, quarter: .b))
    }

    @Test func theReleasedDateMustFallNearTheQuarter() throws {
        let id = ReleaseID(year: 2026, quarter: .a)
        func agrees(_ text: String) throws -> Bool {
            var evidence = ReleaseEvidence()
            evidence.addReleased(try #require(CalendarDate(usFormat: text)), member: "P.csv")
            return evidence.mismatch(with: id, sourceName: "x.zip") == nil
        }
        #expect(try agrees("11/25/2025"), "RVU26A's own date")
        #expect(try agrees("07/01/2025"))
        #expect(try !agrees("06/30/2025"), "more than six months early")
        #expect(try agrees("12/31/2026"), "a re-post within the year")
        #expect(try !agrees("01/01/2027"))
        #expect(try !agrees("03/15/2024"), "RVU24B's date")
    }

    @Test func anArchiveOfAnotherReleaseIsRefused() throws {
        let imported = try Pipeline.importRelease(.archive(path: Self.rvu25D), release: ReleaseID(year: 2026, quarter: .a))
        #expect(mismatches(imported).map(\.description) == ["RVU25D.zip: error: \(Self.rvu25DAsRVU26A)"])
        #expect(imported.diagnostics.containsError)
        // The right id, with or without a revision, passes.
        for id in ["RVU25D", "RVU25DR", "rvu25d-updated-10-15-2025"] {
            let right = try Pipeline.importRelease(.archive(path: Self.rvu25D), release: try ReleaseID(parsing: id))
            #expect(mismatches(right).isEmpty, "\(id)")
        }
        // Years away: the RELEASED date disagrees too.
        let far = try Pipeline.importRelease(.archive(path: Self.rvu25D), release: ReleaseID(year: 2023, quarter: .d))
        #expect(
            mismatches(far).map(\.message) == [
                "this release holds RVU25D, not RVU23D: the name PPRRVU2025_Oct; the title of PPRRVU2025_Oct.csv, '2025 National Physician Fee Schedule Relative Value File October Release'; RELEASED 2025-09-11 in PPRRVU2025_Oct.csv, too late for RVU23D (in effect from 2023-10-01); check --release, or fetch the archive again if the file is mislabelled"
            ])
    }

    @Test func aMislabelledArchiveInAFolderIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.rvu25D, toPath: "\(folder)/RVU26A.zip")
        let output = "\(folder)/RVU26A.sqlite"
        let result = try Pipeline.run(
            release: ReleaseID(year: 2026, quarter: .a), options: .init(source: folder, curated: nil, output: output, strict: false))
        #expect(result.written == nil)
        #expect(mismatches(result.imported).map(\.description) == ["RVU26A.zip: error: \(Self.rvu25DAsRVU26A)"])
        #expect(!FileManager.default.fileExists(atPath: output), "nothing written")
        // inspect has no --release: a file named for a release is checked against that name.
        let inspected = try Pipeline.inspect(path: "\(folder)/RVU26A.zip")
        #expect(mismatches(inspected).map(\.description) == ["RVU26A.zip: error: \(Self.rvu25DAsRVU26A)"])
        try FileManager.default.moveItem(atPath: "\(folder)/RVU26A.zip", toPath: "\(folder)/download.zip")
        #expect(mismatches(try Pipeline.inspect(path: "\(folder)/download.zip")).isEmpty, "a name that names no release")
    }

    @Test func anUnpackedFolderOfAnotherReleaseIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let members = try ReleaseImporter.members(ofArchive: Pipeline.readFile(Self.rvu25D), name: "RVU25D.zip")
        for member in members {
            try Data(member.bytes).write(to: URL(fileURLWithPath: "\(folder)/\(member.name)"))
        }
        let input = try ReleaseLocator.locate(ReleaseID(year: 2026, quarter: .a), in: folder)
        let imported = try Pipeline.importRelease(input, release: ReleaseID(year: 2026, quarter: .a))
        let name = (folder as NSString).lastPathComponent
        #expect(mismatches(imported).map(\.description) == ["\(name): error: \(Self.rvu25DAsRVU26A)"])
        #expect(mismatches(try Pipeline.importRelease(input, release: ReleaseID(year: 2025, quarter: .d))).isEmpty)
    }

    @Test(.enabled(if: RealRelease.available, RealRelease.skipReason))
    func theRealRVU24BIsNotRVU26A() throws {
        let folder = try #require(RealRelease.folder)
        let imported = try Pipeline.importRelease(.archive(path: "\(folder)/RVU24B.zip"), release: ReleaseID(year: 2026, quarter: .a))
        #expect(
            mismatches(imported).map(\.description) == [
                "RVU24B.zip: error: this release holds RVU24B, not RVU26A: the name PPRRVU24_APR; the title of PPRRVU24_APR.csv, '2024 National Physician Fee Schedule Relative Value File April Release'; RELEASED 2024-03-15 in PPRRVU24_APR.csv, too early for RVU26A (in effect from 2026-01-01); check --release, or fetch the archive again if the file is mislabelled"
            ])
        #expect(mismatches(try RealRelease.rvu24B.get()).isEmpty, "imported as RVU24B")
    }
}
