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
    /// Level II descriptor; and the public text a withheld catalog may hold (the Level II
    /// descriptors and the sample curated files), in which a short descriptor may occur as words.
    static let proprietary: Result<(descriptors: Set<String>, publicText: [UInt8]), any Error> = Result {
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
        var publicText = Array(levelII.sorted().joined(separator: "\n").utf8)
        let curated = repositoryRoot.appendingPathComponent("Samples/curated")
        for name in try FileManager.default.subpathsOfDirectory(atPath: curated.path).sorted() where name.hasSuffix(".yaml") {
            publicText += [0x0A] + Array(try Data(contentsOf: curated.appendingPathComponent(name)))
        }
        return (proprietary.subtracting(levelII), publicText)
    }

    /// The texts of `needles` (those of 12 bytes or more) that occur in `haystack`, byte for
    /// byte: one pass over the haystack with a dictionary of the needles' first 12 bytes, not one
    /// search per needle (that took over an hour on RVU24B in a debug build).
    static func occurrences(of needles: Set<String>, in haystack: [UInt8]) -> Set<String> {
        struct Prefix: Hashable {
            let head: UInt64
            let tail: UInt32
            init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
                head = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                tail = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            }
        }
        var byPrefix: [Prefix: [[UInt8]]] = [:]
        for needle in needles where needle.utf8.count >= 12 {
            let bytes = Array(needle.utf8)
            bytes.withUnsafeBytes { byPrefix[Prefix($0, at: 0), default: []].append(bytes) }
        }
        var found = Set<String>()
        haystack.withUnsafeBytes { buffer in
            guard buffer.count >= 12 else { return }
            for offset in 0...(buffer.count - 12) {
                guard let candidates = byPrefix[Prefix(buffer, at: offset)] else { continue }
                for candidate in candidates
                where offset + candidate.count <= buffer.count
                    && buffer[offset..<(offset + candidate.count)].elementsEqual(candidate)
                {
                    found.insert(String(decoding: candidate, as: UTF8.self))
                }
            }
        }
        return found
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
            // HTML escapes the apostrophe of "AMA's".
            let expected = format == .html ? notices.map { $0.replacingOccurrences(of: "'", with: "&#39;") } : notices
            #expect(expected.allSatisfy { rendered.contains($0) }, "\(format)")
        }
        let hcpcs = try #require(try reader.page(for: "A0021"))
        #expect(hcpcs.titleSource == "cms" && hcpcs.cmsDescriptor == nil)
    }

    /// Off (the default): no CPT or CDT descriptor of the release in any byte of the file, but
    /// where it is words of public text (a Level II descriptor or the curated files: "Pinworm
    /// exam" is part of a Level II descriptor).
    @Test func offNoDescriptorInTheFileBytes() throws {
        let (_, path) = try RealCatalog.built.get()
        let (proprietary, publicText) = try LicensedCatalog.proprietary.get()
        let long = proprietary.filter { $0.utf8.count >= 12 }
        #expect(long.count > 8000)
        let found = LicensedCatalog.occurrences(of: long, in: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let inPublicText = LicensedCatalog.occurrences(of: found, in: publicText)
        #expect(found.subtracting(inPublicText).isEmpty, "\(found.subtracting(inPublicText).sorted().prefix(10))")
        #expect(inPublicText.count < 50, "\(inPublicText.count) descriptors are words of public text")
        let reader = try CatalogReader(path: path)
        #expect(try reader.meta()["descriptors"] == "withheld")
        #expect(try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM code WHERE cms_descriptor IS NOT NULL") } == 0)
        // The same scan finds them in the licensed catalog: it can fail.
        let licensed = Array(try Data(contentsOf: URL(fileURLWithPath: try LicensedCatalog.built.get())))
        #expect(LicensedCatalog.occurrences(of: long, in: licensed).count > 8000)
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
