import RVUCore
import Testing

@testable import RVUImport

@Suite struct PPRRVUTests {
    @Test func readsTheStackedHeaderAndExactValues() throws {
        let text =
            Fixtures.pprrvuHeader31 + Fixtures.rvuLine()
            + Fixtures.rvuLine(
                "27447", description: "\"Knee, total\"", work: "19.60", nfPE: "15.30", nfNA: "NA", fPE: "15.30", mp: "4.05",
                nfTotal: "38.95", fTotal: "38.95", glob: "090")
            + "\u{1A},,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n"
        let member = try Fixtures.parse(text)
        #expect(member.diagnostics.isEmpty, "\(member.diagnostics)")
        #expect(member.releasedOn?.description == "2025-09-11")
        #expect(member.notices.count == 2)
        let records = Fixtures.rvu(member)
        #expect(records.count == 2)
        let visit = try #require(records.first)
        #expect(visit.workRVU?.description == "1.30")
        #expect(visit.conversionFactor?.description == "32.3465")
        #expect(visit.supervision == "09")
        #expect(visit.imagingFamily == "99")
        let knee = try #require(records.last)
        #expect(knee.description == "Knee, total")
        #expect(knee.nonfacilityNA && !knee.facilityNA)
        #expect(knee.nonfacilityPE?.description == "15.30", "the NA flag is kept apart from the PE value")
        #expect(knee.globalDays == "090")
    }

    @Test func nonNumberNamesMemberRowAndColumn() throws {
        let member = try Fixtures.parse(Fixtures.pprrvuHeader31 + Fixtures.rvuLine() + Fixtures.rvuLine("99214", work: "N/A"))
        #expect(member.diagnostics.map(\.description) == [#"T.zip/PPRRVU2025_Oct.csv:12:6: error: 'WORK RVU' is not a decimal: "N/A""#])
        #expect(Fixtures.rvu(member).count == 1, "the bad row is not imported")
    }

    @Test func lostLeadingZerosAreCheckedBeforeNumbers() throws {
        let text =
            Fixtures.pprrvuHeader31 + Fixtures.rvuLine("100", work: "x") + Fixtures.rvuLine("99213")
            + Fixtures.rvuLine("110", glob: "90") + Fixtures.rvuLine("99214", glob: "90")
        let member = try Fixtures.parse(text)
        #expect(
            member.diagnostics.map(\.description) == [
                #"T.zip/PPRRVU2025_Oct.csv:11:1: error: codes lost their leading zeros (first here: "100"); the file was probably re-saved by a spreadsheet: use the file as CMS published it"#,
                "T.zip/PPRRVU2025_Oct.csv: note: 3 rows in all have codes without their leading zeros",
            ])
    }

    @Test func statusTotalsDuplicatesAndIndicators() throws {
        let text =
            Fixtures.pprrvuHeader31 + Fixtures.rvuLine() + Fixtures.rvuLine(status: "Q")
            + Fixtures.rvuLine("99214", nfTotal: "2.76") + Fixtures.rvuLine("99215", glob: "QQQ")
        let member = try Fixtures.parse(text)
        #expect(
            member.diagnostics.map(\.description) == [
                #"T.zip/PPRRVU2025_Oct.csv:12:4: error: 'STATUS CODE' is "Q", not one of the documented values (A, B, C, D, E, F, G, H, I, J, M, N, P, R, T, X)"#,
                "T.zip/PPRRVU2025_Oct.csv:12:1: error: duplicate code and modifier 99213 (first at line 11)",
                "T.zip/PPRRVU2025_Oct.csv:13:12: error: 'NON-FACILITY TOTAL' is 2.76 but work + PE + MP = 1.30 + 1.35 + 0.10 = 2.75",
                #"T.zip/PPRRVU2025_Oct.csv:14:15: warning: 'GLOB DAYS' is "QQQ", not one of the documented values (000, 010, 090, MMM, XXX, YYY, ZZZ); CMS may have added it: check the release's readme"#,
            ])
        #expect(Fixtures.rvu(member).map(\.hcpcs) == ["99213", "99215"])
    }

    @Test func missingAndUnknownColumns() throws {
        let header = Fixtures.pprrvuHeader31.replacingOccurrences(of: ",WORK,", with: ",LABOR,")
        #expect {
            try Fixtures.parse(header + Fixtures.rvuLine())
        } throws: { error in
            (error as? DiagnosticError)?.description
                == "T.zip/PPRRVU2025_Oct.csv:10: error: required column 'WORK RVU' not found in the header"
        }
        let extra = Fixtures.pprrvuHeader31.replacingOccurrences(of: "AMOUNT\r\n", with: "AMOUNT,NEW THING\r\n")
        let member = try Fixtures.parse(extra + Fixtures.rvuLine())
        #expect(
            member.diagnostics.map(\.description) == [
                "T.zip/PPRRVU2025_Oct.csv:10:32: warning: unknown column 'NEW THING' is ignored; a new CMS column? add it to the alias table if it matters"
            ])
        #expect(Fixtures.rvu(member).count == 1)
    }

    @Test func fixedWidthRecordsAndTruncation() throws {
        // A 172-character record built at the readme's positions.
        var line = [Character](repeating: " ", count: 172)
        func put(_ text: String, at start: Int) {
            for (offset, character) in text.enumerated() { line[start - 1 + offset] = character }
        }
        put("99213", at: 1)
        put("Office visit est pt", at: 8)
        put("A", at: 58)
        put("  1.30", at: 60)
        put("  1.35", at: 67)
        put("  0.57", at: 76)
        put(" 0.10", at: 85)
        put("  2.75", at: 91)
        put("  1.97", at: 97)
        put("0XXX.00.00.0002000", at: 103)
        put(" 32.3465", at: 133)
        put("09", at: 142)
        put("0", at: 144)
        put("99", at: 146)
        put("  0.00", at: 152)
        put("  0.00", at: 159)
        put("  0.00", at: 166)
        let record = String(line)
        let text = "HDR CPT CODES AND DESCRIPTIONS ONLY ARE COPYRIGHT\r\n" + record + "\r\n\u{1A}"
        let member = try Fixtures.parse(text, name: "PPRRVU2025_test.txt")
        #expect(member.diagnostics.isEmpty, "\(member.diagnostics)")
        let visit = try #require(Fixtures.rvu(member).first)
        #expect(visit.workRVU?.description == "1.30")
        #expect(visit.globalDays == "XXX")
        #expect(visit.preOp?.description == "0.00")
        #expect(visit.conversionFactor?.description == "32.3465")
        #expect(visit.pricingIndicator == nil)

        #expect {
            try Fixtures.parse(String(record.prefix(120)) + "\r\n", name: "PPRRVU2025_test.txt")
        } throws: { error in
            (error as? DiagnosticError)?.description
                == "T.zip/PPRRVU2025_test.txt:1:121: error: record is 120 characters long; the 'CONV FACTOR' field ends at 140: the file is truncated or not in this layout"
        }
    }
}

@Suite struct ValueSetTests {
    @Test func findsExactlyTheListedValues() {
        let set: ValueSet = ["", "0", "NA", "090", "1234567", "a longer value"]
        for value in ["", "0", "NA", "090", "1234567", "a longer value"] { #expect(set.contains(value), "\(value)") }
        for value in [" ", "00", "N", "NAN", "90", "12345678", "a longer valu", "a longer values", "\u{0}"] {
            #expect(!set.contains(value), "\(value)")
        }
        #expect(set.listed == "blank, 0, 090, 1234567, NA, a longer value")
        let short: ValueSet = ["1", "9"]
        #expect(!short.contains("a longer value"))
    }
}
