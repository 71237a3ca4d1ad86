import Foundation
import RVUCore
import RVUMerge
import RVUReports
import Testing

@testable import RVUCatalog

/// Stubs for every code of RVU24B built with licensed descriptors: HCPCS Level II descriptors as
/// hints, no CPT or CDT descriptor anywhere in the text.
@Suite(.enabled(if: RealCatalog.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
struct ScaffoldDescriptorTests {
    @Test func everyCodeOfALicensedCatalogNoCPTOrCDTText() throws {
        let titles = try CatalogReader(path: try LicensedCatalog.built.get()).codeTitles()
        let scaffold = CuratedScaffold(codes: Array(titles.keys), catalog: titles, release: "RVU24B")
        #expect(scaffold.stubs.count == titles.count && scaffold.diagnostics.filter { $0.severity == .error }.isEmpty)
        let levelII = titles.values.filter { $0.titleSource == "cms" && CodeCategory.of($0.code)?.descriptorIsProprietary == false }
        #expect(levelII.count > 1000)
        #expect(scaffold.stubs.filter { $0.hint != nil }.count == levelII.count)
        let proprietary = try LicensedCatalog.proprietary.get().descriptors.filter { $0.utf8.count >= 12 }
        #expect(proprietary.count > 8000)
        // The licensed catalog holds them as titles: the scan below can fail.
        #expect(titles.values.filter { $0.title.map(proprietary.contains) == true }.count > 8000)
        // Every line of the text is the stub template or a hint; no hint is CPT or CDT text.
        let template: Set<Substring> = [
            "codes:", "    title: TODO", "    also_known_as: [TODO]", "    description: TODO", "    plain_language: TODO",
            "    clinical_context: TODO", "    specialties: [TODO]",
        ]
        let hintPrefix = "    # CMS descriptor (public, HCPCS Level II): "
        var hints: [String] = []
        for line in scaffold.yaml.split(separator: "\n") where !template.contains(line) && !line.hasPrefix("  - code: \"") {
            if line.hasPrefix(hintPrefix) {
                hints.append(String(line.dropFirst(hintPrefix.count)))
            } else {
                #expect(line.hasPrefix("# "), "\(line)")
            }
        }
        #expect(hints.count == levelII.count)
        #expect(hints.filter(proprietary.contains).isEmpty, "\(hints.filter(proprietary.contains).prefix(10))")
        #expect(Set(hints) == Set(levelII.compactMap { $0.title.map(CuratedScaffold.commentText) }))
    }
}
