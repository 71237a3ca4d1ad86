import RVUCore

extension SampleData {
    /// RVU25D: the 2025 October layout (31 PPRRVU columns, conversion factor 32.3465).
    static func rvu25D() -> SampleRelease {
        SampleRelease(
            id: "RVU25D", year: 2025, monthName: "October", releasedOn: "09/11/2025", amaCopyrightYear: "2024",
            adaCopyrightYears: "2024/25",
            rvuFiles: [.init(memberName: "PPRRVU2025_Oct", conversionFactor: d("32.3465"))],
            hasPricingIndicator: false, rvuRows: inCMSOrder(rvuRows2025),
            gpciMemberName: "GPCI2025", gpciRows: gpciRows2025,
            gpciFootnotes: [
                "MAC Assignments as of August 1, 2025",
                "",
                "*Work GPCI reflects a 1.5 floor in Alaska established by the MIPPA.",
                "**PE GPCI reflects a 1.0 floor for frontier states established by the ACA.",
                "",
                "Note: SAMPLE FILE. These GPCIs are hand-picked test values; the column labels, footnotes and layout copy CMS's file.",
                "   Therefore, do not use them for payment; the work GPCI column keeps CMS's label (with 1.0 Floor).",
                "",
                "Note: The sample lists 11 localities only, grouped by state as in CMS's file. ",
            ],
            loccoMemberName: "25LOCCO", countyGroups: countyGroups,
            anesMemberName: "ANES2025", nationalAnesthesiaConversionFactor: d("20.3178"),
            anesthesiaRows: anesthesiaRows(
                factors: ["19.31", "27.90", "19.98", "21.22", "20.27", "22.37", "21.34", "20.74", "20.11", "19.80", "20.28"]),
            oppscapMemberName: "OPPSCAP_Oct", oppsCapRows: oppsCapRows2025)
    }

    /// The PPRRVU rows of RVU25D, in CMS's order: codes starting with a letter first, then the
    /// numeric ones; a code's rows as global, TC, 26 (or global, 53).
    static var rvuRows2025: [RVURow] {
        [
            unpriced("A0021", "Ambulance svc out of state", status: "I"),
            unpriced("A2001", "Skin substitute, per sq cm", status: "C"),
            unpriced("A4206", "Syringe with needle 1 cc", status: "X"),
            unpriced(
                "D0386", "Dental ultrasound capture", status: "R", pctc: "1", surgery: "00000", imagingFamily: "88",
                facilityNA: true),
            unpriced(
                "D0386", modifier: "TC", "Dental ultrasound capture", status: "R", pctc: "1", surgery: "00000", supervision: "01",
                imagingFamily: "88", facilityNA: true),
            unpriced(
                "D0386", modifier: "26", "Dental ultrasound capture", status: "R", pctc: "1", surgery: "00000", imagingFamily: "88"),
            unpriced("E0100", "Cane w/ 4\" rubber tip", status: "X"),
            unpriced("G0008", "Flu shot administration", status: "X"),
            RVURow(
                hcpcs: "G0105", description: "Colon screen high risk pt", status: "A", work: d("3.26"),
                nonfacilityPE: d("6.18"), facilityPE: d("1.79"), mp: d("0.42"), pctc: "0", globalDays: "000",
                surgery: "20100"),
            RVURow(
                hcpcs: "G0105", modifier: "53", description: "Colon screen high risk pt", status: "A", work: d("1.63"),
                nonfacilityPE: d("3.09"), facilityPE: d("0.90"), mp: d("0.21"), pctc: "0", globalDays: "000",
                surgery: "20100"),
            RVURow(
                hcpcs: "G2211", description: "Visit complexity add-on", status: "A", work: d("0.33"),
                nonfacilityPE: d("0.15"), facilityPE: d("0.15"), mp: d("0.02"), pctc: "0", globalDays: "ZZZ",
                surgery: "00000"),
            unpriced("J1100", "Dexamethasone inj 1 mg", status: "E"),
            unpriced("0001F", "Heart failure measures met", status: "M"),
            unpriced("0001U", "Rbc antigen dna panel", status: "X"),
            unpriced("00100", "Anesthesia for gland surgery", status: "J"),
            unpriced("0042T", "Brain ct blood flow study", status: "C", pctc: "0", surgery: "00000"),
            RVURow(
                hcpcs: "11102", description: "Skin biopsy tangential 1", status: "A", work: d("0.66"),
                nonfacilityPE: d("2.21"), facilityPE: d("0.38"), mp: d("0.07"), pctc: "0", globalDays: "000",
                surgery: "20100"),
            RVURow(
                hcpcs: "20610", description: "Large joint aspiration", status: "A", work: d("0.79"),
                nonfacilityPE: d("1.01"), facilityPE: d("0.43"), mp: d("0.13"), pctc: "0", globalDays: "000",
                surgery: "21100"),
            RVURow(
                hcpcs: "27447", description: "Knee joint replacement", status: "A", work: d("19.29"),
                nonfacilityPE: d("15.30"), nonfacilityNA: true, facilityPE: d("15.30"), mp: d("3.98"), pctc: "0",
                globalDays: "090", preOp: d("0.10"), intraOp: d("0.69"), postOp: d("0.21"), surgery: "21210",
                binaryDoublesInXLSX: true),
            RVURow(
                hcpcs: "45378", description: "Colonoscopy diagnostic", status: "A", work: d("3.26"),
                nonfacilityPE: d("6.18"), facilityPE: d("1.79"), mp: d("0.42"), pctc: "0", globalDays: "000",
                surgery: "20100"),
            RVURow(
                hcpcs: "45378", modifier: "53", description: "Colonoscopy diagnostic", status: "A", work: d("1.63"),
                nonfacilityPE: d("3.09"), facilityPE: d("0.90"), mp: d("0.21"), pctc: "0", globalDays: "000",
                surgery: "20100"),
            RVURow(
                hcpcs: "45380", description: "Colonoscopy and tissue bx", status: "A", work: d("3.56"),
                nonfacilityPE: d("8.70"), facilityPE: d("1.94"), mp: d("0.44"), pctc: "0", globalDays: "000",
                surgery: "30100", endoBase: "45378", binaryDoublesInXLSX: true),
            RVURow(
                hcpcs: "70450", description: "Ct head without contrast", status: "A", work: d("0.85"),
                nonfacilityPE: d("2.30"), facilityPE: d("2.30"), facilityNA: true, mp: d("0.05"), pctc: "1",
                surgery: "40000", imagingFamily: "88", oppsNonfacilityPE: d("3.40"), oppsFacilityPE: d("3.40"),
                oppsMP: d("0.06")),
            RVURow(
                hcpcs: "70450", modifier: "TC", description: "Ct head without contrast", status: "A",
                nonfacilityPE: d("2.00"), facilityPE: d("2.00"), facilityNA: true, mp: d("0.01"), pctc: "1",
                surgery: "40000", supervision: "01", imagingFamily: "88", oppsNonfacilityPE: d("3.10"),
                oppsFacilityPE: d("3.10"), oppsMP: d("0.02"), binaryDoublesInXLSX: true),
            RVURow(
                hcpcs: "70450", modifier: "26", description: "Ct head without contrast", status: "A", work: d("0.85"),
                nonfacilityPE: d("0.30"), facilityPE: d("0.30"), mp: d("0.04"), pctc: "1", surgery: "40000",
                imagingFamily: "88"),
            RVURow(
                hcpcs: "71250", description: "Ct chest without contrast", status: "A", work: d("1.08"),
                nonfacilityPE: d("3.10"), facilityPE: d("3.10"), facilityNA: true, mp: d("0.07"), pctc: "1",
                surgery: "40000", imagingFamily: "88", oppsNonfacilityPE: d("2.60"), oppsFacilityPE: d("2.60"),
                oppsMP: d("0.06")),
            RVURow(
                hcpcs: "71250", modifier: "TC", description: "Ct chest without contrast", status: "A",
                nonfacilityPE: d("2.70"), facilityPE: d("2.70"), facilityNA: true, mp: d("0.02"), pctc: "1",
                surgery: "40000", supervision: "01", imagingFamily: "88", oppsNonfacilityPE: d("2.20"),
                oppsFacilityPE: d("2.20"), oppsMP: d("0.02")),
            RVURow(
                hcpcs: "71250", modifier: "26", description: "Ct chest without contrast", status: "A", work: d("1.08"),
                nonfacilityPE: d("0.40"), facilityPE: d("0.40"), mp: d("0.05"), pctc: "1", surgery: "40000",
                imagingFamily: "88"),
            RVURow(
                hcpcs: "93000", description: "Ecg with interp and report", status: "A", work: d("0.17"),
                nonfacilityPE: d("0.25"), facilityPE: d("0.25"), facilityNA: true, mp: d("0.02"), pctc: "4",
                surgery: "60000", supervision: "01"),
            RVURow(
                hcpcs: "97110", description: "Therapeutic exercise 15 min", status: "A", work: d("0.45"),
                nonfacilityPE: d("0.43"), facilityPE: d("0.43"), facilityNA: true, mp: d("0.02"), pctc: "7",
                surgery: "50000"),
            unpriced("99024", "Postop visit in global", status: "B"),
            RVURow(
                hcpcs: "99202", description: "Office visit new pt 15 min", status: "A", work: d("0.93"),
                nonfacilityPE: d("1.17"), facilityPE: d("0.41"), mp: d("0.08"), pctc: "0", surgery: "00000"),
            RVURow(
                hcpcs: "99213", description: "Office visit est pt 20 min", status: "A", work: d("1.30"),
                nonfacilityPE: d("1.35"), facilityPE: d("0.57"), mp: d("0.10"), pctc: "0", surgery: "00000",
                binaryDoublesInXLSX: true),
            RVURow(
                hcpcs: "99214", description: "Office visit est pt 30 min", status: "A", work: d("1.92"),
                nonfacilityPE: d("1.81"), facilityPE: d("0.84"), mp: d("0.14"), pctc: "0", surgery: "00000"),
            RVURow(
                hcpcs: "99358", description: "Extended svc w/o contact", status: "I", notUsedForPayment: true,
                work: d("1.80"), nonfacilityPE: d("0.75"), facilityPE: d("0.71"), mp: d("0.11"), pctc: "0",
                surgery: "00000"),
        ]
    }

    /// The GPCI rows of RVU25D: alphabetical by state, then by locality name, as CMS orders them.
    static var gpciRows2025: [GPCIRow] {
        [
            GPCIRow(
                mac: "10112", state: "AL", locality: "00", name: "ALABAMA", work: d("1.000"), pe: d("0.869"),
                mp: d("0.575"), binaryDoublesInXLSX: true),
            GPCIRow(mac: "02102", state: "AK", locality: "01", name: "ALASKA*", work: d("1.500"), pe: d("1.081"), mp: d("0.592")),
            GPCIRow(
                mac: "03102", state: "AZ", locality: "00", name: "ARIZONA", work: d("1.000"), pe: d("0.975"),
                mp: d("0.854"), binaryDoublesInXLSX: true),
            GPCIRow(
                mac: "01182", state: "CA", locality: "18",
                name: "LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES/ORANGE CNTY)", work: d("1.042"), pe: d("1.194"),
                mp: d("0.690"), numericCodesInXLSX: true),
            GPCIRow(
                mac: "01112", state: "CA", locality: "75", name: "REST OF CALIFORNIA", work: d("1.014"), pe: d("1.093"),
                mp: d("0.560"), numericCodesInXLSX: true),
            GPCIRow(
                mac: "01112", state: "CA", locality: "05",
                name: "SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO/SAN MATEO/ALAMEDA/CONTRA COSTA CNTY)",
                work: d("1.088"), pe: d("1.419"), mp: d("0.445")),
            GPCIRow(mac: "09102", state: "FL", locality: "03", name: "FORT LAUDERDALE", work: d("1.000"), pe: d("0.998"), mp: d("1.770")),
            GPCIRow(
                mac: "09102", state: "FL", locality: "99", name: "REST OF FLORIDA", work: d("1.000"), pe: d("0.940"),
                mp: d("1.467"), numericCodesInXLSX: true),
            GPCIRow(
                mac: "05302", state: "MO", locality: "02", name: "METROPOLITAN KANSAS CITY", work: d("1.000"),
                pe: d("0.948"), mp: d("0.992")),
            GPCIRow(
                mac: "05302", state: "MO", locality: "99", name: "REST OF MISSOURI", work: d("1.000"), pe: d("0.859"),
                mp: d("0.974"), binaryDoublesInXLSX: true),
            GPCIRow(mac: "03202", state: "MT", locality: "01", name: "MONTANA**", work: d("1.000"), pe: d("1.000"), mp: d("0.978")),
        ]
    }

    /// The LOCCO groups (the same in both releases). Trailing spaces as CMS prints them; Missouri's
    /// rest-of-state row appears twice, as in CMS's 2024 and 2025 files.
    static var countyGroups: [CountyGroup] {
        typealias Row = CountyGroup.Row
        return [
            CountyGroup(
                state: "ALABAMA ",
                rows: [Row(mac: "10112", locality: "00", feeScheduleArea: "STATEWIDE ", counties: "ALL COUNTIES ")]),
            CountyGroup(
                state: "ALASKA ",
                rows: [Row(mac: "02102", locality: "01", feeScheduleArea: "STATEWIDE ", counties: "ALL COUNTIES ")]),
            CountyGroup(
                state: "ARIZONA ",
                rows: [Row(mac: "03102", locality: "00", feeScheduleArea: "STATEWIDE ", counties: "ALL COUNTIES ")]),
            CountyGroup(
                state: "CALIFORNIA",
                rows: [
                    Row(
                        mac: "01182", locality: "18", feeScheduleArea: "LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES CNTY)",
                        counties: "LOS ANGELES/ORANGE", numericCodesInXLSX: true),
                    Row(
                        mac: "01112", locality: "05",
                        feeScheduleArea:
                            "SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO CNTY/ALAMEDA/CONTR COSTA CNTY/SAN MATEO)",
                        counties: "SAN FRANCISCO/ALAMEDA/CONTRA COSTA/SAN MATEO"),
                    Row(mac: "01112", locality: "75", feeScheduleArea: "REST OF STATE*", counties: "ALL OTHER COUNTIES"),
                ]),
            CountyGroup(
                state: "FLORIDA ",
                rows: [
                    Row(
                        mac: "09102", locality: "03", feeScheduleArea: "FORT LAUDERDALE",
                        counties: "BROWARD, COLLIER, INDIAN RIVER, LEE, MARTIN, PALM BEACH, AND ST. LUCIE"),
                    Row(
                        mac: "09102", locality: "99", feeScheduleArea: "REST OF STATE ", counties: "ALL OTHER COUNTIES ",
                        numericCodesInXLSX: true),
                ]),
            CountyGroup(
                state: "MISSOURI ",
                rows: [
                    Row(mac: "05302", locality: "02", feeScheduleArea: "METROPOLITAN KANSAS CITY", counties: "CLAY, JACKSON AND PLATTE"),
                    Row(mac: "05302", locality: "99", feeScheduleArea: "REST OF STATE* ", counties: "ALL OTHER COUNTIES "),
                    Row(mac: "05302", locality: "99", feeScheduleArea: "REST OF STATE*", counties: "ALL OTHER COUNTIES"),
                ]),
            CountyGroup(
                state: "MONTANA ",
                rows: [Row(mac: "03202", locality: "01", feeScheduleArea: "STATEWIDE ", counties: "ALL COUNTIES ")]),
        ]
    }

    /// The ANES rows for the GPCI localities (same order), with `factors` in that order. Names are
    /// cut at 40 characters and carry footnote marks, as CMS prints them.
    static func anesthesiaRows(factors: [String]) -> [AnesthesiaRow] {
        let localities: [(mac: String, locality: String, name: String)] = [
            ("10112", "00", "ALABAMA"),
            ("02102", "01", "ALASKA*"),
            ("03102", "00", "ARIZONA"),
            ("01182", "18", "LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGE"),
            ("01112", "75", "REST OF CALIFORNIA"),
            ("01112", "05", "SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRAN"),
            ("09102", "03", "FORT LAUDERDALE"),
            ("09102", "99", "REST OF FLORIDA"),
            ("05302", "02", "METROPOLITAN KANSAS CITY"),
            ("05302", "99", "REST OF MISSOURI"),
            ("03202", "01", "MONTANA**"),
        ]
        precondition(factors.count == localities.count, "one anesthesia factor per locality")
        return zip(localities, factors).enumerated().map { index, pair in
            AnesthesiaRow(
                mac: pair.0.mac, locality: pair.0.locality, name: pair.0.name, conversionFactor: d(pair.1),
                binaryDoubleInXLSX: index % 3 == 1)
        }
    }

    /// OPPSCAP rows of RVU25D: CT head and chest (global and TC) in five localities, one of them
    /// (01112/18) not in the GPCI file, and a carrier-priced category III code; sorted by code,
    /// modifier, contractor and locality as CMS sorts them.
    static var oppsCapRows2025: [OPPSCapRow] {
        let localities = [("10112", "00"), ("02102", "01"), ("01112", "05"), ("01112", "18"), ("09102", "99")]
        let prices: [(hcpcs: String, modifier: String, prices: [String])] = [
            ("70450", "", ["96.69", "120.04", "156.92", "132.65", "106.23"]),
            ("70450", "TC", ["87.51", "108.78", "142.58", "120.17", "95.21"]),
            ("71250", "", ["74.20", "92.06", "120.20", "101.76", "81.90"]),
            ("71250", "TC", ["62.21", "77.31", "101.27", "85.41", "67.84"]),
        ]
        var rows: [OPPSCapRow] = [
            OPPSCapRow(
                hcpcs: "0042T", modifier: "", procedureStatus: "C", mac: "01112", locality: "05",
                facilityPrice: d("318.25"), nonfacilityPrice: d("318.25")),
            OPPSCapRow(
                hcpcs: "0042T", modifier: "", procedureStatus: "C", mac: "10112", locality: "00",
                facilityPrice: d("245.60"), nonfacilityPrice: d("245.60")),
        ]
        for code in prices {
            for (locality, price) in zip(localities, code.prices) {
                rows.append(
                    OPPSCapRow(
                        hcpcs: code.hcpcs, modifier: code.modifier, procedureStatus: "A", mac: locality.0,
                        locality: locality.1, facilityPrice: d(price), nonfacilityPrice: d(price),
                        binaryDoublesInXLSX: locality.1 == "05"))
            }
        }
        return rows.sorted {
            ($0.hcpcs, $0.modifier, $0.mac, $0.locality) < ($1.hcpcs, $1.modifier, $1.mac, $1.locality)
        }
    }
}
