import RVUCore

extension SampleData {
    /// A release of real size for benchmarks, `scale` times over: about 18,500 PPRRVU rows and
    /// 16,000 OPPSCAP rows at scale 1, in RVU25D's layout and with its localities.
    ///
    /// The mix follows RVU24B: about 1.13 rows per code (imaging codes as global, TC and 26; some
    /// codes with 53), statuses in their real proportions (A about 45%), RVUs with two decimals up
    /// to a few hundred, CMS's order (codes with a letter first). Drawn from a fixed-seed generator:
    /// the same scale gives the same bytes.
    static func synthetic(scale: Int) -> SampleRelease {
        var release = rvu25D()
        release.id = "RVU30A"
        release.year = 2030
        release.rvuFiles = [.init(memberName: "PPRRVU2030_Jan", conversionFactor: d("32.3465"))]
        release.rvuRows = syntheticRVURows(codes: 16_360 * scale)
        release.oppsCapRows = syntheticOPPSCapRows(
            release.rvuRows, localities: release.gpciRows.map { ($0.mac, $0.locality) }, limit: 16_000 * scale)
        release.oppscapMemberName = "OPPSCAP_Jan"
        return release
    }

    /// A 64-bit linear congruential generator (Knuth's MMIX constants): fixed output for a seed.
    struct Draw {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        /// A decimal with two places below `maximum` (in hundredths), small values more likely.
        mutating func amount(below maximum: Int) -> ExactDecimal {
            let small = next(maximum / 10 + 1)
            return ExactDecimal(units: Int64(next(4) == 0 ? next(maximum) : small), scale: 2)
        }
    }

    /// Unique five-character codes: numeric (CPT-like) and letter-first (HCPCS-like), in CMS's
    /// order (letters first).
    static func syntheticCodes(_ count: Int) -> [String] {
        let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        let numeric = 99_900
        let letterCodes = min(max(count / 5, count - numeric), letters.count * 10_000)
        var codes: [String] = []
        codes.reserveCapacity(count)
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        for index in 0..<letterCodes { codes.append(String(letters[index / 10_000]) + padded(index % 10_000, 4)) }
        for index in 0..<min(count - letterCodes, numeric) { codes.append(padded(100 + index, 5)) }
        return codes
    }

    static func syntheticRVURows(codes count: Int) -> [RVURow] {
        var draw = Draw(state: 2024)
        let statuses: [(String, Int)] = [
            ("A", 45), ("I", 12), ("X", 12), ("C", 6), ("B", 5), ("E", 5), ("N", 4), ("M", 4), ("R", 3), ("J", 2), ("T", 1), ("P", 1),
        ]
        let globalDays = ["000", "010", "090", "XXX", "ZZZ", "YYY", "MMM"]
        // Multiple procedure, bilateral, assistant, co- and team surgery indicators.
        let surgery = ["00000", "20100", "21000", "20000", "01000", "20120", "31210", "00001"]
        func status() -> String {
            var pick = draw.next(100)
            for (code, share) in statuses {
                if pick < share { return code }
                pick -= share
            }
            return "A"
        }
        func priced(_ code: String, modifier: String = "", status: String, pctc: String) -> RVURow {
            let work = draw.amount(below: 4_000)
            let facility = draw.amount(below: 2_000)
            return RVURow(
                hcpcs: code, modifier: modifier, description: "Synthetic procedure \(code)", status: status, work: work,
                nonfacilityPE: facility + draw.amount(below: 3_000), facilityPE: facility, mp: draw.amount(below: 300), pctc: pctc,
                globalDays: globalDays[draw.next(globalDays.count)], surgery: surgery[draw.next(surgery.count)], supervision: "09",
                imagingFamily: "99")
        }
        var rows: [RVURow] = []
        rows.reserveCapacity(count * 114 / 100)
        for code in syntheticCodes(count) {
            let shape = draw.next(100)
            if shape < 6 {
                // Imaging: global, TC and professional component.
                rows.append(priced(code, status: "A", pctc: "1"))
                rows.append(priced(code, modifier: "TC", status: "A", pctc: "1"))
                rows.append(priced(code, modifier: "26", status: "A", pctc: "1"))
            } else if shape < 7 {
                rows.append(priced(code, status: "A", pctc: "0"))
                rows.append(priced(code, modifier: "53", status: "A", pctc: "0"))
            } else {
                let status = status()
                rows.append(
                    ["A", "R", "T"].contains(status)
                        ? priced(code, status: status, pctc: "0") : unpriced(code, "Synthetic item \(code)", status: status))
            }
        }
        return rows
    }

    /// OPPS caps for the imaging codes' global and TC rows in every locality, up to `limit`.
    static func syntheticOPPSCapRows(_ rows: [RVURow], localities: [(String, String)], limit: Int) -> [OPPSCapRow] {
        var draw = Draw(state: 2025)
        var caps: [OPPSCapRow] = []
        caps.reserveCapacity(limit)
        for row in rows where row.pctc == "1" && row.modifier != "26" {
            for (mac, locality) in localities {
                guard caps.count < limit else { return caps }
                let price = draw.amount(below: 40_000)
                caps.append(
                    OPPSCapRow(
                        hcpcs: row.hcpcs, modifier: row.modifier, procedureStatus: "A", mac: mac, locality: locality,
                        facilityPrice: price, nonfacilityPrice: price + draw.amount(below: 5_000)))
            }
        }
        return caps
    }
}
