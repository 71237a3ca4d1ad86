import RVUCore

extension SampleData {
    /// The releases of a quarterly series and what changed in each (``SeriesManifest``).
    struct Series {
        var releases: [SampleRelease]
        var manifest: SeriesManifest
    }

    /// The most quarters a series holds: RVU16A to RVU25D.
    static let seriesMaximum = 40

    /// The national conversion factors CMS published for January of each year (2024 also the
    /// one of the March 9 correction); the series uses them so that payments look real.
    static let seriesConversionFactors: [Int: String] = [
        2016: "35.8043", 2017: "35.8887", 2018: "35.9996", 2019: "36.0391", 2020: "36.0896", 2021: "34.8931",
        2022: "34.6062", 2023: "33.8872", 2024: "32.7442", 2025: "32.3465",
    ]
    /// The conversion factor of the correction RVU24AR.
    static let seriesCorrectedFactor = "33.2875"

    /// `count` successive quarterly releases ending at RVU25D, each with about `codes` codes,
    /// plus one correction: RVU24AR (RVU24A with the conversion factor of March 9, 2024 and a few
    /// RVUs corrected) when the series holds RVU24A, else a correction of its second release.
    ///
    /// The first release is `--synthetic 1`'s rows (same seed, same shape); each next one, drawn
    /// from a fixed-seed generator, deletes about 0.5% of the codes, adds about 1% (the first
    /// addition re-adds the code deleted longest ago, once it has been gone a release), gives one
    /// code priced alone a TC and a 26 row, and changes the work and PE RVUs of about 2% of the
    /// rows. The manifest lists each of these, so that tests know where to look.
    static func series(count: Int, codes: Int) -> Series {
        let last = 2025 * 4 + 3
        let quarters = (0..<count).map { last - (count - 1 - $0) }
        var state = SeriesState(rows: syntheticRVURows(codes: codes))
        var releases: [SampleRelease] = []
        var entries: [SeriesManifest.Release] = []
        let correctedQuarter = quarters.contains(2024 * 4) ? 2024 * 4 : quarters.dropFirst().first
        for (index, quarter) in quarters.enumerated() {
            var entry = SeriesManifest.Release(id: seriesID(quarter, correction: false), correctionOf: nil)
            if index > 0 { state.advance(&entry) }
            releases.append(seriesRelease(quarter: quarter, correction: false, rows: state.sortedRows, codes: codes))
            entry.record(state)
            entries.append(entry)
            if quarter == correctedQuarter {
                var correction = SeriesManifest.Release(
                    id: seriesID(quarter, correction: true), correctionOf: seriesID(quarter, correction: false))
                state.correct(&correction)
                releases.append(seriesRelease(quarter: quarter, correction: true, rows: state.sortedRows, codes: codes))
                correction.record(state)
                entries.append(correction)
            }
        }
        return Series(releases: releases, manifest: SeriesManifest(codesInFirstRelease: codes, releases: entries))
    }

    /// `RVU24A`, `RVU24AR` for a quarter counted as year × 4 + quarter index.
    static func seriesID(_ quarter: Int, correction: Bool) -> String {
        let yy = quarter / 4 % 100
        return "RVU\(yy < 10 ? "0" : "")\(yy)\(["A", "B", "C", "D"][quarter % 4])\(correction ? "R" : "")"
    }

    /// One release of the series in RVU25D's layout and localities, its files named and dated
    /// for its own quarter (released two months before it, the correction in March 2024).
    static func seriesRelease(quarter: Int, correction: Bool, rows: [RVURow], codes: Int) -> SampleRelease {
        let year = quarter / 4
        let quarterIndex = quarter % 4
        let month = ["Jan", "Apr", "Jul", "Oct"][quarterIndex]
        let yy = year % 100
        let twoDigits = "\(yy < 10 ? "0" : "")\(yy)"
        var factor = seriesConversionFactors[year] ?? "32.3465"
        if correction, year == 2024, quarterIndex == 0 { factor = seriesCorrectedFactor }
        var release = rvu25D()
        release.id = seriesID(quarter, correction: correction)
        release.year = year
        release.monthName = ["January", "April", "July", "October"][quarterIndex]
        let releasedMonth = quarterIndex * 3 - 1
        func padded(_ month: Int) -> String { month < 10 ? "0\(month)" : String(month) }
        release.releasedOn =
            correction
            ? "\(padded(quarterIndex * 3 + 3))/12/\(year)"
            : releasedMonth < 1 ? "11/01/\(year - 1)" : "\(padded(releasedMonth))/01/\(year)"
        release.amaCopyrightYear = String(year - 1)
        release.adaCopyrightYears = "\(year - 1)/\(twoDigits)"
        release.rvuFiles = [.init(memberName: "PPRRVU\(year)_\(month)", conversionFactor: d(factor))]
        release.rvuRows = rows
        release.gpciMemberName = "GPCI\(year)"
        release.loccoMemberName = "\(twoDigits)LOCCO"
        release.anesMemberName = "ANES\(year)"
        release.oppscapMemberName = "OPPSCAP_\(month)"
        release.oppsCapRows = syntheticOPPSCapRows(
            rows, localities: release.gpciRows.map { ($0.mac, $0.locality) }, limit: codes * 16_000 / 16_360)
        return release
    }
}

/// The rows of the release being drawn, and the draws that change them from one release to the
/// next.
struct SeriesState {
    /// Each code's rows (global, then TC, 26, 53).
    var rows: [String: [RVURow]] = [:]
    /// Codes deleted and not re-added yet, oldest first, with the release count when deleted.
    var deleted: [(code: String, at: Int)] = []
    /// The next number for a new numeric code.
    var nextNumber: Int
    var draw = SampleData.Draw(state: 2016)
    /// Releases drawn so far.
    var step = 0

    init(rows: [RVURow]) {
        for row in rows { self.rows[row.hcpcs, default: []].append(row) }
        nextNumber = (self.rows.keys.compactMap { Int($0) }.max() ?? 99) + 1
    }

    /// Every row in CMS's order.
    var sortedRows: [RVURow] { SampleData.inCMSOrder(rows.values.flatMap { $0 }) }

    /// Codes in a fixed order (the dictionary's order is not).
    var sortedCodes: [String] { rows.keys.sorted() }

    /// The next release: deletions, additions, a modifier row appearing, RVU changes.
    mutating func advance(_ entry: inout SeriesManifest.Release) {
        step += 1
        var codes = sortedCodes
        // Delete about 0.5% of the codes.
        var gone: Set<String> = []
        for _ in 0..<max(1, codes.count / 200) {
            let code = codes[draw.next(codes.count)]
            guard gone.insert(code).inserted else { continue }
            rows[code] = nil
            deleted.append((code, step))
        }
        entry.deleted = gone.sorted()
        codes = sortedCodes
        // Add about 1%: first the code deleted longest ago (gone a release at least), then new ones.
        var added: [String] = []
        if let index = deleted.firstIndex(where: { $0.at < step }) {
            let code = deleted.remove(at: index).code
            rows[code] = [priced(code)]
            entry.readded = [code]
            added.append(code)
        }
        while added.count < max(1, codes.count / 100) {
            let code = String(nextNumber)
            let padded = String(repeating: "0", count: max(0, 5 - code.count)) + code
            nextNumber += 1
            rows[padded] = [priced(padded)]
            added.append(padded)
        }
        entry.added = added.sorted()
        // One code priced alone gains a TC and a 26 row.
        let fresh = Set(added)
        let alone = codes.filter { code in
            guard !fresh.contains(code), let list = rows[code], list.count == 1, let row = list.first else { return false }
            return row.status == "A" && row.hasRVUs
        }
        if !alone.isEmpty {
            let code = alone[draw.next(alone.count)]
            let technical = priced(code, modifier: "TC", pctc: "1")
            let professional = priced(code, modifier: "26", pctc: "1")
            rows[code]?[0].pctc = "1"
            rows[code]?.append(contentsOf: [technical, professional])
            entry.modifierRowsAdded = ["\(code)-TC", "\(code)-26"]
        }
        entry.changed = change(share: 50, excluding: fresh)
    }

    /// A correction of the release just drawn: a few RVUs change (its conversion factor is the
    /// renderer's).
    mutating func correct(_ entry: inout SeriesManifest.Release) {
        entry.changed = change(share: 500, excluding: [])
    }

    /// Changes the work and facility and non-facility PE RVUs of one priced row in `share`
    /// (50: 2%), never twice the same row; returns the rows' keys.
    mutating func change(share: Int, excluding: Set<String>) -> [String] {
        let codes = sortedCodes.filter { !excluding.contains($0) }
        let target = max(1, codes.reduce(0) { $0 + (rows[$1]?.count ?? 0) } / share)
        var changed: Set<String> = []
        var attempts = 0
        while changed.count < target, attempts < target * 20 {
            attempts += 1
            let code = codes[draw.next(codes.count)]
            guard let list = rows[code] else { continue }
            let index = draw.next(list.count)
            let row = list[index]
            guard row.hasRVUs, !changed.contains(row.key) else { continue }
            var updated = row
            updated.work = shifted(row.work)
            updated.facilityPE = shifted(row.facilityPE)
            updated.nonfacilityPE = max(updated.facilityPE, shifted(row.nonfacilityPE))
            guard updated.nonfacilityTotal != row.nonfacilityTotal || updated.work != row.work else { continue }
            rows[code]?[index] = updated
            changed.insert(row.key)
        }
        return changed.sorted()
    }

    /// `value` moved up or down by 1 to 5% (at least 0.01), never below 0.01.
    mutating func shifted(_ value: ExactDecimal) -> ExactDecimal {
        let hundredths = value.scaled(to: 2)?.units ?? 0
        let step = max(1, hundredths * Int64(1 + draw.next(5)) / 100)
        let moved = draw.next(2) == 0 ? hundredths + step : hundredths - step
        return ExactDecimal(units: max(1, moved), scale: 2)
    }

    /// A new priced row, drawn like the synthetic release's.
    mutating func priced(_ code: String, modifier: String = "", pctc: String = "0") -> RVURow {
        let facility = draw.amount(below: 2_000)
        return RVURow(
            hcpcs: code, modifier: modifier, description: "Synthetic procedure \(code)", status: "A", work: draw.amount(below: 4_000),
            nonfacilityPE: facility + draw.amount(below: 3_000), facilityPE: facility, mp: draw.amount(below: 300), pctc: pctc,
            globalDays: ["000", "010", "090", "XXX"][draw.next(4)], surgery: "20100", supervision: "09", imagingFamily: "99")
    }
}
