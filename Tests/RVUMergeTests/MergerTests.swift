import RVUCore
import Testing

@testable import RVUMerge

func decimal(_ text: String) -> ExactDecimal {
    ExactDecimal(text) ?? .zero
}

/// A PPRRVU row with the 99213 values of RVU25D unless changed.
func rvuRecord(
    _ hcpcs: String, _ modifier: String = "", status: String = "A", description: String = "Some descriptor",
    work: String = "1.30", nfPE: String = "1.35", fPE: String = "0.57", mp: String = "0.10", nfNA: Bool = false, fNA: Bool = false,
    cf: String = "32.3465"
) -> RVURecord {
    var record = RVURecord(hcpcs: hcpcs, modifier: modifier)
    record.status = status
    record.description = description
    record.workRVU = decimal(work)
    record.nonfacilityPE = decimal(nfPE)
    record.facilityPE = decimal(fPE)
    record.mpRVU = decimal(mp)
    record.nonfacilityNA = nfNA
    record.facilityNA = fNA
    record.nonfacilityTotal = decimal(work) + decimal(nfPE) + decimal(mp)
    record.facilityTotal = decimal(work) + decimal(fPE) + decimal(mp)
    record.conversionFactor = decimal(cf)
    record.globalDays = "XXX"
    record.pctc = "0"
    return record
}

func releaseData(_ records: [RVURecord], qpp: [RVURecord]? = nil) -> ReleaseData {
    var rvu: [Variant: [RVURecord]] = [.general: records]
    if let qpp { rvu[.qpp] = qpp }
    return ReleaseData(
        id: ReleaseID(year: 2025, quarter: .d), releasedOn: CalendarDate(year: 2025, month: 9, day: 11), sourceSHA256: "00",
        notices: [], members: [], rvu: rvu, gpci: [], localityCounties: [], anesthesia: [], oppsCaps: [],
        nationalAnesthesiaCF: nil)
}

@Suite struct CodeCategoryTests {
    @Test(arguments: [
        ("00100", "cpt-anesthesia"), ("27447", "cpt-surgery"), ("70450", "cpt-radiology"), ("80053", "cpt-pathology"),
        ("99213", "cpt-evaluation-management"), ("93000", "cpt-medicine"), ("0001F", "cpt-category-ii"),
        ("0042T", "cpt-category-iii"), ("0001U", "cpt-pla"), ("D0386", "dental"), ("G0105", "hcpcs-g"), ("J1100", "hcpcs-j"),
        ("A2001", "hcpcs-a"),
    ])
    func derivedFromTheCodesForm(code: String, category: String) {
        #expect(CodeCategory.of(code)?.id == category)
        #expect(CodeCategory.category(id: category)?.id == category)
    }

    @Test func malformedCodesHaveNoCategory() {
        for code in ["9921", "992133", "ABCDE", "0001X", "d0386", ""] { #expect(CodeCategory.of(code) == nil, "\(code)") }
    }
}

@Suite struct MergerTests {
    @Test func proprietaryDescriptorsNeverReachTheCatalog() {
        let release = releaseData([
            rvuRecord("99213", description: "AMA TEXT"), rvuRecord("D0386", status: "R", description: "ADA TEXT"),
            rvuRecord("0001F", status: "M", description: "AMA MEASURE"),
            rvuRecord("A2001", status: "C", description: "Skin substitute, per sq cm"),
        ])
        let merged = Merger.merge(release, curated: CuratedContent())
        let byCode = Dictionary(uniqueKeysWithValues: merged.codes.map { ($0.code, $0) })
        #expect(byCode["99213"]?.title == nil && byCode["99213"]?.titleSource == CatalogCode.TitleSource.none)
        #expect(byCode["D0386"]?.title == nil)
        #expect(byCode["A2001"]?.title == "Skin substitute, per sq cm" && byCode["A2001"]?.titleSource == .cms)
        let descriptions = merged.release.rvu.values.joined().map(\.description)
        #expect(!descriptions.contains("AMA TEXT") && !descriptions.contains("ADA TEXT") && !descriptions.contains("AMA MEASURE"))
    }

    @Test func nationalPaymentToTheCent() {
        // RVU25D 99213: 2.75 x 32.3465 = 88.95 non-facility; 1.97 x 32.3465 = 63.72 facility.
        let payment = Merger.nationalPayment(rvuRecord("99213"), variant: .general)
        #expect(payment.nonfacility?.description == "88.95")
        #expect(payment.facility?.description == "63.72")
        let na = Merger.nationalPayment(
            rvuRecord("27447", work: "19.60", nfPE: "15.30", fPE: "15.30", mp: "4.05", nfNA: true), variant: .general)
        #expect(na.nonfacility == nil && na.facility?.description == "1259.90")
        let bundled = Merger.nationalPayment(rvuRecord("99211", status: "B"), variant: .general)
        #expect(bundled.nonfacility == nil && bundled.facility == nil)
    }

    @Test func coverageAndContentOnlyEntries() {
        let location = SourceLocation(file: "codes.yaml", line: 1)
        let entry = CuratedEntry(
            code: "99213", title: "Office visit", alsoKnownAs: ["follow-up"], description: "d", plainLanguage: "p",
            clinicalContext: "c", specialties: ["Family Medicine"], modifierNotes: [:], location: location)
        var orphan = entry
        orphan.code = "99999"
        let notes = CategoryNotes(category: "dental", billingNotes: "Tooth number", documentationNotes: "Findings", location: location)
        let content = CuratedContent(entries: ["99213": entry, "99999": orphan], categories: ["dental": notes], revision: "r")
        let merged = Merger.merge(releaseData([rvuRecord("99213"), rvuRecord("D0386", status: "R")]), curated: content)
        #expect(merged.coverage.uncurated == ["D0386"])
        #expect(merged.coverage.curatedNotInRelease == ["99999"])
        let byCode = Dictionary(uniqueKeysWithValues: merged.codes.map { ($0.code, $0) })
        #expect(byCode["99999"]?.inRelease == false)
        #expect(byCode["99213"]?.titleSource == .curated)
        #expect(byCode["D0386"]?.billingNotes == "Tooth number", "category notes apply to codes of the category")
    }
}

@Suite struct CuratedContentParserTests {
    @Test func validEntriesAndCategoryNotes() {
        let yaml = """
            codes:
              - code: "99213"
                title: Office visit
                also_known_as: [follow-up visit, return visit]
                description: An established patient's visit.
                plain_language: A check-up with your doctor.
                clinical_context: Used for stable problems.
                specialties: [Family Medicine]
                modifier_notes:
                  "25": Separate service the same day.
            categories:
              - category: dental
                billing_notes: Give the tooth number.
            """
        let (content, diagnostics) = CuratedContentParser.parse([.init(name: "curated/a.yaml", text: yaml)])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(content.entries["99213"]?.alsoKnownAs == ["follow-up visit", "return visit"])
        #expect(content.entries["99213"]?.modifierNotes == ["25": "Separate service the same day."])
        #expect(content.categories["dental"]?.billingNotes == "Give the tooth number.")
        #expect(content.revision.count == 64)
    }

    @Test func yamlSyntaxErrorsNameTheirLine() {
        let text = "codes:\n  - code: \"99213\"\n    title: [unclosed\n"
        let (_, diagnostics) = CuratedContentParser.parse([.init(name: "bad.yaml", text: text)])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location?.file == "bad.yaml")
        #expect(diagnostics.first?.location?.line != nil)
        #expect(diagnostics.first?.message.hasPrefix("not valid YAML: ") == true)
    }

    @Test func errorsNameFileAndLine() {
        let first = """
            codes:
              - code: "99213"
                title: Office visit
                description: d
                plain_language: p
                clinical_context: c
                specialties: [Family Medicine]
                synonyms: [x]
            """
        let second = """
            codes:
              - code: "99213"
                title: Again
                description: d
                plain_language: p
                clinical_context: c
                specialties: [A]
              - code: 9921
                title: ""
                description: d
                plain_language: p
                clinical_context: c
                specialties: [A]
            """
        let (_, diagnostics) = CuratedContentParser.parse([.init(name: "a.yaml", text: first), .init(name: "b.yaml", text: second)])
        #expect(
            diagnostics.map(\.description) == [
                "a.yaml:8:5: error: unknown key 'synonyms' in a code entry (known: also_known_as, billing_notes, clinical_context, code, description, documentation_notes, modifier_notes, plain_language, specialties, title)",
                "b.yaml:2:5: error: code 99213 is already curated at a.yaml:2:5",
                "b.yaml:8:11: error: '9921' is not a HCPCS code (five characters: 99213, 0001F, 0042T, 0001U, D0386, G0105); quote codes with leading zeros",
                "b.yaml:9:12: error: 9921: 'title' is empty; write the text",
            ])
    }
}
