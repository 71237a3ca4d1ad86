import Foundation
import GRDB
import RVUCore
import RVUMerge
import RVUPipeline
import RVUReports
import Testing

@testable import RVUCatalog

/// RVU24B built with licensed descriptors and no curated content.
enum LicensedCatalog {
    static let built: Result<String, any Error> = Result {
        let folder = try #require(RealCatalog.folder)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rvu24b-licensed-\(UUID().uuidString).sqlite").path
        let result = try Pipeline.run(
            release: ReleaseID(year: 2024, quarter: .b),
            options: .init(source: "\(folder)/RVU24B.zip", curated: nil, output: output, strict: false, descriptors: .licensed))
        return try #require(result.written).path
    }

    /// The CPT and CDT descriptors of RVU24B as imported, less any that is word for word a HCPCS
    /// Level II descriptor (public text).
    static let proprietary: Result<Set<String>, any Error> = Result {
        let folder = try #require(RealCatalog.folder)
        let imported = try Pipeline.importRelease(.archive(path: "\(folder)/RVU24B.zip"), release: ReleaseID(year: 2024, quarter: .b))
        var proprietary = Set<String>()
        var levelII = Set<String>()
        for variant in Variant.allCases {
            for record in imported.rvu(variant) where !record.description.isEmpty {
                if CodeCategory.of(record.hcpcs)?.descriptorIsProprietary ?? true {
                    proprietary.insert(record.description)
                } else {
                    levelII.insert(record.description)
                }
            }
        }
        return proprietary.subtracting(levelII)
    }
}

@Suite(.enabled(if: RealCatalog.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
struct LicensedDescriptorTests {
    @Test func onTheDescriptorTitlesAnUncuratedDentalCode() throws {
        let reader = try CatalogReader(path: try LicensedCatalog.built.get())
        let page = try #require(try reader.page(for: "D0386"))
        #expect(page.title == "Max ultrasound image capture" && page.titleSource == "cms")
        #expect(page.cmsDescriptor == "Max ultrasound image capture" && page.descriptors == "licensed")
        #expect(try reader.meta()["descriptors"] == "licensed")
        #expect(try reader.computedVersion() == reader.meta()["catalog_version"])
        for format in CodePageRenderer.Format.allCases {
            let rendered = CodePageRenderer.render(page, format: format)
            let notices = DescriptorPolicy.licensed.notices(codeSet: "cdt")
            #expect(notices.contains(DescriptorPolicy.cdtNotice), "\(format)")
            #expect(notices.allSatisfy { rendered.contains($0) }, "\(format)")
        }
        let hcpcs = try #require(try reader.page(for: "A0021"))
        #expect(hcpcs.titleSource == "cms" && hcpcs.cmsDescriptor == nil)
    }

    /// Off (the default): no CPT or CDT descriptor of the release in any byte of the file.
    @Test func offNoDescriptorInTheFileBytes() throws {
        let (_, path) = try RealCatalog.built.get()
        let proprietary = try LicensedCatalog.proprietary.get()
        #expect(proprietary.count > 8000)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Descriptors of 12 bytes or more (shorter ones may be words of curated text); each
        // looked for in the file's bytes, as stored.
        let long = proprietary.filter { $0.utf8.count >= 12 }
        #expect(long.count > 8000)
        let text = String(decoding: bytes, as: UTF8.self)
        let found = long.filter { text.contains($0) }
        #expect(found.isEmpty, "\(found.prefix(10))")
        let reader = try CatalogReader(path: path)
        #expect(try reader.meta()["descriptors"] == "withheld")
        #expect(try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM code WHERE cms_descriptor IS NOT NULL") } == 0)
        // The same scan finds them in the licensed catalog: it can fail.
        let licensed = String(decoding: try Data(contentsOf: URL(fileURLWithPath: try LicensedCatalog.built.get())), as: UTF8.self)
        #expect(long.filter { licensed.contains($0) }.count > 8000)
    }

    @Test func searchOnTheRealRelease() throws {
        let (_, path) = try RealCatalog.built.get()
        let reader = try CatalogReader(path: path)
        let expected = try reader.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT hcpcs FROM rvu WHERE substr(hcpcs, 1, 4) = '9921' ORDER BY hcpcs")
        }
        #expect(expected.count >= 4)
        #expect(try reader.search("9921*", limit: 100).map(\.code) == expected)
        #expect(try reader.search("D0386").first?.code == "D0386")
        #expect(try CatalogReader(path: try LicensedCatalog.built.get()).search("ultrasound image capture").map(\.code).contains("D0386"))
    }

    @Test func worklistCountsOnTheRealRelease() throws {
        let (_, path) = try RealCatalog.built.get()
        let worklist = Worklist(release: "RVU24B", codes: try CatalogReader(path: path).codeStates())
        let folder = try #require(RealCatalog.folder)
        let imported = try Pipeline.importRelease(.archive(path: "\(folder)/RVU24B.zip"), release: ReleaseID(year: 2024, quarter: .b))
        let release = Set(Variant.allCases.flatMap { imported.rvu($0).map(\.hcpcs) })
        let curated = try curatedCodes()
        #expect(worklist.releaseCodes == release.count)
        #expect(worklist.uncurated.count == release.subtracting(curated).count)
        #expect(Set(worklist.contentOnly) == curated.subtracting(release))
    }
}
