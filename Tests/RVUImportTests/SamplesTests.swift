import Foundation
import RVUCore
import RVUPipeline
import RVUReports
import RVUTestSupport
import Testing

@testable import RVUImport

/// The sample releases in Samples/releases, imported once.
enum SampleReleases {
    static func load(_ id: String) -> Result<ImportedRelease, DiagnosticError> {
        do throws(DiagnosticError) {
            let release = (try? ReleaseID(parsing: id)) ?? ReleaseID(year: 2000, quarter: .a)
            let input = try ReleaseLocator.locate(release, in: Golden.samples("releases"))
            return .success(try Pipeline.importRelease(input, release: release))
        } catch {
            return .failure(error)
        }
    }

    static let rvu25D = load("RVU25D")
    static let rvu26A = load("RVU26A")
}

@Suite struct SamplesTests {
    @Test(arguments: ["RVU25D", "RVU26A"])
    func importsCleanlyAndMatchesGoldens(id: String) throws {
        let release = try (id == "RVU25D" ? SampleReleases.rvu25D : SampleReleases.rvu26A).get()
        #expect(!release.hasErrors, "\(release.diagnostics.filter { $0.severity == .error })")
        #expect(release.variances.isEmpty, "the generator writes the same content in every format: \(release.variances.prefix(5))")
        try Golden.check(RecordsDump.text(release), against: "\(id).records.txt")
        try Golden.check(InspectReport(release).text, against: "\(id).inspect.txt")
    }

    @Test func releasingCrossCheckedRecordsKeepsWhatTheLaterStagesUse() throws {
        let release = try SampleReleases.rvu26A.get()
        let slim = release.keepingOnlyAuthoritativeRecords()
        #expect(slim.rvu(.general) == release.rvu(.general) && slim.rvu(.qpp) == release.rvu(.qpp) && !slim.rvu(.qpp).isEmpty)
        #expect(slim.oppsCaps == release.oppsCaps && slim.gpci == release.gpci && slim.anesthesia == release.anesthesia)
        #expect(slim.data.members == release.data.members, "member counts and checksums stay")
        for (before, after) in zip(release.members, slim.members) {
            #expect(after.rowCount == before.rowCount && before.rowCount > 0)
            #expect(after.records.count == (before.format == .csv ? before.rowCount : 0), "\(before.name)")
        }
    }

    @Test func casesThatMatter() throws {
        let release = try SampleReleases.rvu25D.get()
        let rows = release.rvu(.general)
        #expect(Set(rows.filter { $0.hcpcs == "D0386" }.map(\.modifier)) == ["", "26", "TC"])
        #expect(rows.contains { $0.hcpcs == "45378" && $0.modifier == "53" })
        let knee = try #require(rows.first { $0.hcpcs == "27447" })
        #expect(knee.nonfacilityNA && (knee.nonfacilityPE ?? .zero) != .zero, "an NA indicator with a non-zero PE value")
        #expect(rows.first { $0.hcpcs == "A2001" }?.description.contains(",") == true)
        #expect(rows.contains { $0.status == "I" })
        let visit = try #require(rows.first { $0.hcpcs == "99213" && $0.modifier.isEmpty })
        #expect(
            [visit.workRVU, visit.nonfacilityPE, visit.facilityPE, visit.mpRVU, visit.nonfacilityTotal, visit.facilityTotal].map {
                $0?.description
            } == [
                "1.30", "1.35", "0.57", "0.10", "2.75", "1.97",
            ])
        #expect(visit.conversionFactor?.description == "32.3465")
        #expect(release.members.count == 15)
    }

    @Test func the2026LayoutKeepsBothPPRRVUFiles() throws {
        let release = try SampleReleases.rvu26A.get()
        #expect(release.variants(of: .pprrvu) == [.general, .qpp])
        #expect(release.members.filter { $0.kind == .pprrvu }.count == 6)
        let general = try #require(release.rvu(.general).first { $0.hcpcs == "99213" })
        let qpp = try #require(release.rvu(.qpp).first { $0.hcpcs == "99213" })
        #expect(general.conversionFactor?.description == "33.4009")
        #expect(qpp.conversionFactor?.description == "33.5675")
        #expect(general.pricingIndicator != nil && qpp.pricingIndicator != nil)
        #expect(release.gpci.contains { $0.workGPCIWithoutFloor != nil })
        #expect(release.nationalAnesthesiaCF?.description == "20.4976")
    }
}
