import Foundation
import RVUCore
import RVUPipeline
import RVUReports
import Testing

@testable import RVUContainers
@testable import RVUImport

/// The real CMS release in `$RVU_SHARED_CMS` (`../shared/cms` in CI). Skipped, visibly, when unset.
enum RealRelease {
    static let folder = ProcessInfo.processInfo.environment["RVU_SHARED_CMS"]
    static let available = folder.map { FileManager.default.fileExists(atPath: "\($0)/RVU24B.zip") } ?? false
    static let skipReason: Comment = "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"

    /// RVU24B imported once for all tests.
    static let rvu24B: Result<ImportedRelease, DiagnosticError> = {
        guard let folder else { return .failure(DiagnosticError(.internalError, "RVU_SHARED_CMS unset", at: nil)) }
        do throws(DiagnosticError) {
            let id = ReleaseID(year: 2024, quarter: .b)
            return .success(try Pipeline.importRelease(.archive(path: "\(folder)/RVU24B.zip"), release: id))
        } catch {
            return .failure(error)
        }
    }()
}

@Suite(.enabled(if: RealRelease.available, RealRelease.skipReason))
struct RealReleaseTests {
    func release() throws -> ImportedRelease { try RealRelease.rvu24B.get() }

    @Test func everyMemberOfEveryDatasetInEveryFormat() throws {
        let release = try release()
        let counts = release.members.map { "\($0.name) \($0.kind.rawValue) \($0.variant.rawValue) \($0.format.rawValue) \($0.rowCount)" }
        #expect(
            counts == [
                "PPRRVU24_APR.csv pprrvu general csv 18534", "PPRRVU24_APR.txt pprrvu general txt 18534",
                "PPRRVU24_APR.xlsx pprrvu general xlsx 18534",
                "GPCI2024.csv gpci general csv 109", "GPCI2024.txt gpci general txt 109", "GPCI2024.xlsx gpci general xlsx 109",
                "24LOCCO.csv locco general csv 109", "24LOCCO.txt locco general txt 109", "24LOCCO.xlsx locco general xlsx 109",
                "ANES2024.csv anes general csv 109", "ANES2024.txt anes general txt 109", "ANES2024.xlsx anes general xlsx 109",
                "OPPSCAP_APR.csv oppscap general csv 17710", "OPPSCAP_APR.txt oppscap general txt 17710",
                "OPPSCAP_APR.xlsx oppscap general xlsx 17710",
            ])
        #expect(release.otherMembers == ["RVU24B.pdf"])
        #expect(release.releasedOn?.description == "2024-03-15")
        #expect(!release.hasErrors, "\(release.diagnostics.filter { $0.severity == .error }.prefix(5))")
    }

    @Test func exactValues() throws {
        let release = try release()
        let rvu = release.rvu(.general)
        let visit = try #require(rvu.first { $0.hcpcs == "99213" && $0.modifier.isEmpty })
        #expect(visit.workRVU?.description == "1.30")
        #expect(visit.nonfacilityPE?.description == "1.33")
        #expect(visit.facilityPE?.description == "0.56")
        #expect(visit.mpRVU?.description == "0.10")
        #expect(visit.nonfacilityTotal?.description == "2.73")
        #expect(visit.conversionFactor?.description == "33.2875")
        #expect(visit.status == "A" && visit.globalDays == "XXX" && visit.supervision == "09")
        let ambulance = try #require(rvu.first { $0.hcpcs == "A2001" })
        #expect(ambulance.description == "Innovamatrix ac, per sq cm")
        #expect(rvu.filter { $0.modifier == "53" }.count == 4)
        let alabama = try #require(release.gpci.first { $0.mac == "10112" && $0.locality == "00" })
        #expect([alabama.workGPCI, alabama.peGPCI, alabama.mpGPCI].map(\.description) == ["1.000", "0.869", "0.575"])
        let alaska = try #require(release.gpci.first { $0.mac == "02102" })
        #expect(alaska.name == "ALASKA*" && alaska.workGPCI.description == "1.500")
        let anesthesia = try #require(release.anesthesia.first { $0.mac == "10112" && $0.locality == "00" })
        #expect(anesthesia.conversionFactor.description == "19.77")
        let cap = try #require(release.oppsCaps.first { $0.hcpcs == "0633T" && $0.mac == "01112" && $0.locality == "05" })
        #expect(cap.modifier == "TC" && cap.status == "C" && cap.facilityPrice.description == "150.83")
        let county = try #require(release.localityCounties.first { $0.mac == "01112" && $0.locality == "05" })
        #expect(county.state == "CALIFORNIA", "the state is filled down within its group")
        #expect(release.localityCounties.filter { $0.mac == "05302" && $0.locality == "99" }.count == 1)
    }

    /// The only variances between formats are three LOCCO text cells where CMS's TXT and CSV
    /// really differ (the TXT spells two fee schedule areas and one county list otherwise).
    @Test func noUnexplainedVariances() throws {
        let release = try release()
        let listed = release.variances.map { "\($0.dataset.rawValue) \($0.foundFormat.rawValue) \($0.key) \($0.field)" }
        #expect(
            Set(listed) == [
                "locco txt 01112/05 FEE SCHEDULE AREA", "locco txt 01182/18 FEE SCHEDULE AREA", "locco txt 01182/18 COUNTIES",
            ])
        #expect(listed.count == 3)
    }

    /// `--strict` passes on the unchanged release, whichever formats are verified: CMS's own
    /// quirks (a repeated LOCCO row, re-spelled LOCCO text in the TXT) are notes.
    @Test(arguments: [Verification.txt, .all])
    func strictPassesOnTheUnchangedRelease(verify: Verification) throws {
        let folder = try #require(RealRelease.folder)
        let release = try Pipeline.importRelease(
            .archive(path: "\(folder)/RVU24B.zip"), release: ReleaseID(year: 2024, quarter: .b),
            options: ReleaseImporter.Options(strict: true, verify: verify))
        #expect(release.diagnostics.filter { $0.severity != .note }.isEmpty, "\(release.diagnostics.filter { $0.severity != .note })")
        let notes = Set(release.diagnostics.map(\.code))
        #expect(notes.isSuperset(of: [.duplicateRow, .formatVariance]), "\(notes)")
    }

    /// Strict through the binary, as cron runs it: exit 0, and the catalog is written.
    @Test(arguments: ["txt", "all"])
    func strictImportExitsZero(verify: String) throws {
        let folder = try #require(RealRelease.folder)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Binary.run([
            "--release", "RVU24B", "--source", "\(folder)/RVU24B.zip", "--curated", "Samples/curated", "--output", output,
            "--strict", "--verify", verify,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: output))
    }

    @Test func inspectNamesEachMembersKindAndRows() throws {
        let folder = try #require(RealRelease.folder)
        let archive = try ZipArchive(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/RVU24B.zip"))), name: "RVU24B.zip")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var seen = 0
        for entry in archive.entries where MemberInfo(name: entry.name) != nil {
            let path = directory.appendingPathComponent(entry.name).path
            try Data(try archive.contents(of: entry)).write(to: URL(fileURLWithPath: path))
            let report = InspectReport(try Pipeline.inspect(path: path))
            let item = try #require(report.entries.first)
            let expected = try #require(MemberInfo(name: entry.name))
            #expect(report.entries.count == 1)
            #expect(item.dataset == expected.kind)
            #expect(item.rows == (expected.kind == .pprrvu ? 18534 : expected.kind == .oppscap ? 17710 : 109), "\(entry.name)")
            seen += 1
        }
        #expect(seen == 15)
    }
}
