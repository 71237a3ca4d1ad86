import RVUCore

extension SampleData {
    /// RVU26A: the 2026 January layout. Two PPRRVU files with the same rows, one per conversion
    /// factor (33.4009 not qualifying APM, 33.5675 qualifying), 32 columns with the PRICING
    /// INDICATOR; a GPCI file with the work GPCI with and without the 1.0 floor. Everything else
    /// is RVU25D with the changes below, which Samples/README.md lists for the diff test.
    static func rvu26A() -> SampleRelease {
        var rows = rvuRows2025
        // Removed code.
        rows.removeAll { $0.hcpcs == "A4206" }
        // Added codes.
        rows.append(
            RVURow(
                hcpcs: "99445", description: "Remote monitor device 2-15d", status: "A", nonfacilityPE: d("0.52"),
                facilityPE: d("0.52"), facilityNA: true, mp: d("0.01"), pctc: "0", surgery: "00000"))
        rows.append(unpriced("J0132", "Acetylcysteine inj 100 mg", status: "E"))
        // RVU changes (totals follow).
        update(&rows, "99213") {
            $0.nonfacilityPE = d("1.39")
            $0.facilityPE = d("0.55")
        }
        update(&rows, "99214") { $0.work = d("1.95") }
        update(&rows, "27447") {
            $0.nonfacilityPE = d("14.95")
            $0.facilityPE = d("14.95")
            $0.mp = d("3.91")
        }
        // Status change to D (deleted, with a grace period); the RVUs stay.
        update(&rows, "20610") { $0.status = "D" }
        // Description change.
        update(&rows, "11102") { $0.description = "Tangential skin biopsy one" }
        // The 2026 column: 1 where an active code has RVUs, else 9; the same in both files.
        for index in rows.indices {
            rows[index].pricingIndicator = rows[index].status == "A" && rows[index].hasRVUs ? "1" : "9"
        }

        var gpciRows = gpciRows2025
        let withoutFloor = ["0.982", "1.500", "0.984", "1.042", "1.014", "1.088", "0.997", "0.978", "0.989", "0.957", "0.982"]
        precondition(withoutFloor.count == gpciRows.count, "one work GPCI without the floor per locality")
        for (index, value) in withoutFloor.enumerated() { gpciRows[index].workWithoutFloor = d(value) }
        // One GPCI change: Alabama's PE GPCI.
        guard let alabama = gpciRows.firstIndex(where: { $0.key == "10112/00" }) else { preconditionFailure("no Alabama row") }
        gpciRows[alabama].pe = d("0.873")

        var oppsCapRows = oppsCapRows2025
        // One cap change.
        guard let changed = oppsCapRows.firstIndex(where: { $0.hcpcs == "71250" && $0.modifier == "TC" && $0.mac == "10112" })
        else { preconditionFailure("no 71250-TC row for 10112/00") }
        oppsCapRows[changed].facilityPrice = d("63.05")
        oppsCapRows[changed].nonfacilityPrice = d("63.05")

        return SampleRelease(
            id: "RVU26A", year: 2026, monthName: "January", releasedOn: "11/25/2025", amaCopyrightYear: "2025",
            adaCopyrightYears: "2025/26",
            rvuFiles: [
                .init(memberName: "PPRRVU2026_Jan_nonQPP", conversionFactor: d("33.4009")),
                .init(memberName: "PPRRVU2026_Jan_QPP", conversionFactor: d("33.5675")),
            ],
            hasPricingIndicator: true, rvuRows: inCMSOrder(rows),
            gpciMemberName: "GPCI2026", gpciRows: gpciRows,
            gpciFootnotes: [
                "MAC Assignments as of November 1, 2025",
                "",
                "*Work GPCI reflects a 1.5 floor in Alaska established by the MIPPA.",
                "**PE GPCI reflects a 1.0 floor for frontier states established by the ACA.",
                "",
                "Note: SAMPLE FILE. These GPCIs are hand-picked test values; the column labels, footnotes and layout copy CMS's file.",
                "   Therefore, do not use them for payment; work GPCIs for 2026 are shown both with and without a 1.0 floor.",
                "",
                "Note: The sample lists 11 localities only, grouped by state as in CMS's file. ",
            ],
            loccoMemberName: "26LOCCO", countyGroups: countyGroups,
            anesMemberName: "ANES2026", nationalAnesthesiaConversionFactor: d("20.4976"),
            anesthesiaRows: anesthesiaRows(
                factors: ["19.49", "28.15", "20.16", "21.41", "20.45", "22.57", "21.53", "20.92", "20.29", "19.97", "20.46"]),
            oppscapMemberName: "OPPSCAP_Jan", oppsCapRows: oppsCapRows)
    }

    /// Applies `change` to every row of `hcpcs` (all its modifiers).
    private static func update(_ rows: inout [RVURow], _ hcpcs: String, _ change: (inout RVURow) -> Void) {
        let indices = rows.indices.filter { rows[$0].hcpcs == hcpcs }
        precondition(!indices.isEmpty, "no rows for \(hcpcs)")
        for index in indices { change(&rows[index]) }
    }

    /// CMS's row order: codes starting with a letter before numeric codes, by code, then a code's
    /// rows as global, TC, 26, 53.
    static func inCMSOrder(_ rows: [RVURow]) -> [RVURow] {
        func rank(_ row: RVURow) -> (Int, String, Int) {
            let letterFirst = row.hcpcs.first?.isLetter == true ? 0 : 1
            let modifierRank = ["", "TC", "26", "53"].firstIndex(of: row.modifier) ?? 4
            return (letterFirst, row.hcpcs, modifierRank)
        }
        return rows.sorted { rank($0) < rank($1) }
    }
}
