import RVUCore
import Testing

@testable import RVUContainers
@testable import RVUImport

@Suite struct LocalityDatasetTests {
    @Test func loccoRestoresZerosFillsStatesAndReportsRepeats() throws {
        let text = """
            COUNTIES INCLUDED IN 2025 LOCALITIES.,,,,\r
            ,,,,\r
            Medicare Adminstrative Contractor,Locality Number,State ,Fee Schedule Area ,Counties\r
            ,,,,\r
            10112,0,ALABAMA ,STATEWIDE ,ALL COUNTIES \r
            ,,,,\r
            1182,18,CALIFORNIA,LOS ANGELES,LOS ANGELES \r
            1112,5,,SAN FRANCISCO,"SAN FRANCISCO, ALAMEDA"\r
            ,,,,\r
            5302,99,MISSOURI ,REST OF STATE* ,ALL OTHER COUNTIES \r
            5302,99,,REST OF STATE*,ALL OTHER COUNTIES\r
            ,,,,\r
            *  Payment locality is serviced by two carriers.,,,,\r

            """
        let member = try Fixtures.parse(text, name: "25LOCCO.csv")
        guard case .locco(let records) = member.records else {
            Issue.record("not locco")
            return
        }
        #expect(
            records.map { "\($0.mac)/\($0.locality) \($0.state)" } == [
                "10112/00 ALABAMA", "01182/18 CALIFORNIA", "01112/05 CALIFORNIA", "05302/99 MISSOURI",
            ])
        #expect(records[2].counties == "SAN FRANCISCO, ALAMEDA")
        #expect(
            member.diagnostics.map(\.description) == [
                "T.zip/25LOCCO.csv:11:1: note: row repeats line 10 (05302/99 REST OF STATE*); kept once"
            ])
    }

    @Test func anesthesiaPaddedCSVAndImpliedDecimalTXT() throws {
        let csv = """
            Contractor,Locality,Locality Name,National Anes CF of 20.3178\r
            10112 ,00 ,ALABAMA,19.31 \r
            02102,01,ALASKA*,28.54\r
            \u{1A},,,\r

            """
        let member = try Fixtures.parse(csv, name: "ANES2025.csv")
        #expect(member.diagnostics.isEmpty)
        #expect(member.nationalAnesthesiaCF?.description == "20.3178")
        guard case .anes(let records) = member.records else { return }
        #expect(
            records.map { "\($0.mac)/\($0.locality) \($0.name) \($0.footnoted) \($0.conversionFactor)" } == [
                "10112/00 ALABAMA false 19.31", "02102/01 ALASKA true 28.54",
            ])

        let txt = "10112       00    ALABAMA                                                1931\r\n\u{1A}"
        let fixed = try Fixtures.parse(txt, name: "ANES2025.txt")
        guard case .anes(let fixedRecords) = fixed.records else { return }
        #expect(fixedRecords.first?.conversionFactor.description == "19.31")
    }

    @Test func anesthesiaWithASecondFactorForQualifyingAPMParticipants() throws {
        let csv = """
            Contractor,Locality,Locality Name,2026 Anesthesia CF (Non-Qualifying APM),2026 Anesthesia CF (Qualifying APM)\r
            10112,00,ALABAMA,19.96,20.06\r

            """
        let member = try Fixtures.parse(csv, name: "ANES2026.csv")
        #expect(member.diagnostics.isEmpty, "\(member.diagnostics)")
        guard case .anes(let records) = member.records else { return }
        #expect(records.first?.conversionFactor.description == "19.96")
        #expect(records.first?.qppConversionFactor?.description == "20.06")
    }

    @Test(arguments: [
        ("2026 Anesthesia CF (Non-Qualifying APM)", "2026 Anesthesia CF (Qualifying APM)"),
        ("Non-QP Anes CF", "QP Anes CF"), ("Anesthesia Conversion Factor", "QPP Anesthesia Conversion Factor"),
    ])
    func secondFactorLabels(general: String, qualifying: String) throws {
        let csv = "Contractor,Locality,Locality Name,\(general),\(qualifying)\r\n10112,00,ALABAMA,19.96,20.06\r\n"
        let member = try Fixtures.parse(csv, name: "ANES2026.csv")
        guard case .anes(let records) = member.records else { return }
        #expect(records.first?.conversionFactor.description == "19.96")
        #expect(records.first?.qppConversionFactor?.description == "20.06")
    }

    @Test func xlsxRowsLeftOutEndAStateGroup() throws {
        // Rows 4 and 6 are absent, as a spreadsheet writes empty rows.
        var state = TabularState<LOCCOSchema>(location: SourceLocation(file: "t.xlsx", sheet: "s"), format: .xlsx)
        var schema = LOCCOSchema()
        let rows: [(Int, [String])] = [
            (3, ["Medicare Adminstrative Contractor", "Locality Number", "State", "Fee Schedule Area", "Counties"]),
            (5, ["10112", "0", "ALABAMA", "STATEWIDE", "ALL COUNTIES"]),
            (7, ["1182", "18", "CALIFORNIA", "LOS ANGELES", "LOS ANGELES"]),
            (8, ["1112", "5", "", "SAN FRANCISCO", "SAN FRANCISCO"]),
        ]
        for (number, cells) in rows {
            var row = Row()
            row.reset(number: number)
            for cell in cells {
                var text = cell
                text.withUTF8 { row.append($0) }
            }
            try state.consume(row, schema: &schema)
        }
        let table = try state.finish(schema: schema)
        #expect(table.records.map(\.state) == ["ALABAMA", "CALIFORNIA", "CALIFORNIA"])
    }

    @Test func gpciFloorColumnsAndDuplicates() throws {
        let csv = """
            ADDENDUM E. FINAL CY 2026 GPCIs,,,,,,,\r
            ,,,,,,,\r
            Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2026 PW GPCI (with 1.0 Floor),2026 PW GPCI (without 1.0 Floor),2026 PE GPCI,2026 MP GPCI\r
            10112,AL,00,ALABAMA,1.000,0.973,0.869,0.575\r
            10112,AL,00,ALABAMA,1.000,0.973,0.869,0.575\r
            "MAC Assignments as of November 22, 2025",,,,,,,\r

            """
        let member = try Fixtures.parse(csv, name: "GPCI2026.csv")
        guard case .gpci(let records) = member.records else { return }
        #expect(records.count == 1)
        #expect(records.first?.workGPCI.description == "1.000")
        #expect(records.first?.workGPCIWithoutFloor?.description == "0.973")
        #expect(
            member.diagnostics.map(\.description) == [
                "T.zip/GPCI2026.csv:5:1: error: duplicate contractor and locality 10112/00 (first at row 4)"
            ])
    }
}

@Suite struct GPCIHeaderTests {
    @Test func aYearWithOnlyTheWorkGPCIWithoutTheFloor() throws {
        let csv = """
            ADDENDUM E. FINAL CY 2025 GPCIs,,,,,,\r
            ,,,,,,\r
            Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2025 PW GPCI (without 1.0 Floor),2025 PE GPCI,2025 MP GPCI\r
            10112,AL,00,ALABAMA,0.985,0.869,0.575\r

            """
        let member = try Fixtures.parse(csv, name: "GPCI2025.csv")
        #expect(member.diagnostics.isEmpty)
        guard case .gpci(let records) = member.records else { return }
        #expect(records.first?.workGPCI.description == "0.985")
        #expect(records.first?.workGPCIWithoutFloor == nil)
    }

    @Test func noWorkGPCIAtAllIsAMissingColumn() throws {
        let csv =
            "Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,2025 PE GPCI,2025 MP GPCI\r\n10112,AL,00,ALABAMA,0.869,0.575\r\n"
        #expect {
            try Fixtures.parse(csv, name: "GPCI2025.csv")
        } throws: { error in
            (error as? DiagnosticError)?.description == "T.zip/GPCI2025.csv:1: error: required column 'PW GPCI' not found in the header"
        }
    }
}
