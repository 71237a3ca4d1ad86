import RVUCore
import Testing

@testable import RVUImport

/// `--strict` fails on every warning, and on none of the quirks that CMS's own files have (notes).
@Suite struct StrictTests {
    /// A LOCCO TXT record: MAC at 5, locality at 17, state at 23, area at 46, counties at 144.
    static func loccoLine(_ mac: String, _ locality: String, _ state: String, _ area: String, _ counties: String) -> String {
        func pad(_ text: String, to length: Int) -> String { text + String(repeating: " ", count: max(length - text.count, 0)) }
        return pad(pad(pad("    \(mac)       \(locality)", to: 22) + state, to: 45) + area, to: 143) + counties + "\r\n"
    }

    static let loccoCSV = """
        COUNTIES INCLUDED IN 2024 LOCALITIES.,,,,\r
        ,,,,\r
        Medicare Adminstrative Contractor,Locality Number,State ,Fee Schedule Area ,Counties\r
        ,,,,\r
        10112,0,ALABAMA ,STATEWIDE ,ALL COUNTIES \r
        ,,,,\r
        1182,18,CALIFORNIA,LOS ANGELES (LOS ANGELES CNTY),LOS ANGELES /ORAGNGE CNTY\r
        ,,,,\r
        5302,99,MISSOURI ,REST OF STATE* ,ALL OTHER COUNTIES \r
        5302,99,,REST OF STATE*,ALL OTHER COUNTIES\r

        """

    /// The TXT of `loccoCSV` as CMS writes it: the LOS ANGELES area and counties re-spelled, and
    /// the Missouri group without its state name.
    static let loccoTXT =
        "COUNTIES INCLUDED IN 2024 LOCALITIES.\r\n\r\n"
        + loccoLine("10112", "00", "ALABAMA", "STATEWIDE", "ALL COUNTIES") + "\r\n"
        + loccoLine("01182", "18", "CALIFORNIA", "LOS ANGELES (LOS ANGELES COUNTY)", "LOS ANGELES/ORANGE") + "\r\n"
        + loccoLine("05302", "99", "", "REST OF STATE*", "ALL OTHER COUNTIES")

    static func importMembers(
        _ members: [(String, String)], strict: Bool, release: ReleaseID = ReleaseID(year: 2024, quarter: .b)
    ) -> ImportedRelease {
        var options = ReleaseImporter.Options(strict: strict, verify: .all)
        options.requireAllDatasets = false
        let sources = members.map { name, text in
            ReleaseImporter.MemberSource(name: name, location: "T.zip/\(name)") { () throws(DiagnosticError) in Array(text.utf8) }
        }
        return ReleaseImporter.importMembers(
            sources, sourceName: "T.zip", sourceSHA256: nil, release: release, options: options)
    }

    @Test func quirksOfCMSFilesAreNotesThatStrictLeavesAlone() {
        for strict in [false, true] {
            let release = Self.importMembers([("24LOCCO.csv", Self.loccoCSV), ("24LOCCO.txt", Self.loccoTXT)], strict: strict)
            #expect(
                release.diagnostics.map { "\($0.severity.rawValue) \($0.code)" }.sorted() == [
                    "note duplicate-row", "note format-variance", "note format-variance", "note missing-state",
                ], "\(release.diagnostics)")
            #expect(!release.hasErrors)
            // The CSV's text is kept.
            let area = release.localityCounties.first { $0.mac == "01182" }?.feeScheduleArea
            #expect(area == "LOS ANGELES (LOS ANGELES CNTY)")
        }
    }

    /// Only LOCCO's area and county text, between the TXT and another format, is a known re-spelling.
    @Test func onlyLOCCOAreaAndCountyTextInTheTXTIsAKnownRespelling() {
        func variance(_ dataset: DatasetKind, _ field: String, _ expected: FileFormat = .csv, _ found: FileFormat = .txt) -> Variance {
            Variance(
                dataset: dataset, variant: .general, key: "01182/18", field: field, expectedFormat: expected, expected: "A",
                foundFormat: found, found: "B")
        }
        #expect(CrossCheck.isKnownRespelling(variance(.locco, "FEE SCHEDULE AREA")))
        #expect(CrossCheck.isKnownRespelling(variance(.locco, "COUNTIES")))
        #expect(CrossCheck.isKnownRespelling(variance(.locco, "COUNTIES", .xlsx, .txt)))
        #expect(!CrossCheck.isKnownRespelling(variance(.locco, "COUNTIES", .csv, .xlsx)))
        #expect(!CrossCheck.isKnownRespelling(variance(.locco, "STATE")))
        #expect(!CrossCheck.isKnownRespelling(variance(.locco, "record")))
        #expect(!CrossCheck.isKnownRespelling(variance(.gpci, "LOCALITY NAME")))
        #expect(!CrossCheck.isKnownRespelling(variance(.anes, "ANESTHESIA CONVERSION FACTOR")))
    }

    /// Every other warning still fails `--strict`: a numeric variance, other text, a record in one
    /// format only, an unknown indicator value.
    @Test(arguments: [
        (
            "numeric format variance",
            [
                ("ANES2024.csv", "Contractor,Locality,Locality Name,Anesthesia CF\r\n10112,00,ALABAMA,19.32\r\n"),
                ("ANES2024.txt", "10112       00    ALABAMA                                                1931\r\n"),
            ], DiagnosticCode.formatVariance
        ),
        (
            "text variance outside LOCCO's area and counties",
            [
                ("ANES2024.csv", "Contractor,Locality,Locality Name,Anesthesia CF\r\n10112,00,ALABAMA,19.31\r\n"),
                ("ANES2024.txt", "10112       00    ALASKA                                                 1931\r\n"),
            ], DiagnosticCode.formatVariance
        ),
        (
            "LOCCO state variance",
            [
                ("24LOCCO.csv", "MAC,Locality Number,State,Fee Schedule Area,Counties\r\n10112,0,ALABAMA,STATEWIDE,ALL COUNTIES\r\n"),
                ("24LOCCO.txt", loccoLine("10112", "00", "GEORGIA", "STATEWIDE", "ALL COUNTIES")),
            ], DiagnosticCode.formatVariance
        ),
        (
            "LOCCO record in one format only",
            [
                ("24LOCCO.csv", "MAC,Locality Number,State,Fee Schedule Area,Counties\r\n10112,0,ALABAMA,STATEWIDE,ALL COUNTIES\r\n"),
                (
                    "24LOCCO.txt",
                    loccoLine("10112", "00", "ALABAMA", "STATEWIDE", "ALL COUNTIES") + loccoLine("10112", "01", "ALABAMA", "X", "Y")
                ),
            ], DiagnosticCode.formatVariance
        ),
        (
            "unknown indicator value",
            // The fixture's preamble is RVU25D's: the member is named for that release, which is imported.
            [("PPRRVU2025_Oct.csv", Fixtures.pprrvuHeader31 + Fixtures.rvuLine(glob: "QQQ"))], DiagnosticCode.unknownValue
        ),
    ])
    func otherWarningsStillFailStrict(_ label: String, _ members: [(String, String)], _ code: DiagnosticCode) {
        let release =
            members.contains { $0.0.hasPrefix("PPRRVU2025") } ? ReleaseID(year: 2025, quarter: .d) : ReleaseID(year: 2024, quarter: .b)
        let relaxed = Self.importMembers(members, strict: false, release: release)
        #expect(relaxed.diagnostics.map { "\($0.severity.rawValue) \($0.code)" } == ["warning \(code)"], "\(label): \(relaxed.diagnostics)")
        let strict = Self.importMembers(members, strict: true, release: release)
        #expect(strict.diagnostics.map { "\($0.severity.rawValue) \($0.code)" } == ["error \(code)"], "\(label): \(strict.diagnostics)")
        #expect(strict.hasErrors)
    }
}
