import RVUCore

/// What a release's own files say about which release they are, checked against the id asked for.
///
/// Three sources, each used when present: the PPRRVU members' names (`PPRRVU24_APR`: 2024, April;
/// `PPRRVU2026_Jan_nonQPP`: 2026, January), the PPRRVU preamble's title (`2024 National Physician
/// Fee Schedule Relative Value File April Release`) and its `RELEASED mm/dd/yyyy` date. A name or
/// title gives a year and, when it names a month, a quarter; the date gives a window, since CMS
/// posts a release up to a few months before its quarter begins and re-posts it within the year
/// after (RVU26A was released 11/25/2025, RVU24B 03/15/2024).
///
/// The archive's evidence is never overruled by the id: when any source disagrees with the id,
/// the import stops with `release-mismatch`, which names the id asked for, the release the
/// archive shows and every source that disagrees. When the sources disagree among themselves, at
/// least one of them disagrees with the id, so the same error lists them. Revisions (`R`, a
/// re-post date) are not written inside the files and are not checked.
package struct ReleaseEvidence: Sendable, Equatable {
    /// One source: what it shows and where it was read.
    package struct Source: Sendable, Equatable {
        package enum Kind: Sendable, Equatable {
            /// A member's name, or a title: a year and maybe a quarter.
            case named(year: Int, quarter: ReleaseID.Quarter?)
            /// A `RELEASED` date.
            case released(CalendarDate)
        }

        /// Where the evidence comes from.
        package enum Origin: Sendable, Equatable {
            case name, title, released
        }

        package let origin: Origin
        package let kind: Kind
        /// What the source shows and where, for the message (`the name PPRRVU24_APR`).
        package let text: String

        /// True when the source is consistent with `release`.
        package func agrees(with release: ReleaseID) -> Bool {
            switch kind {
            case .named(let year, let quarter):
                return year == release.year && (quarter.map { $0 == release.quarter } ?? true)
            case .released(let date):
                let months = (date.year * 12 + date.month - 1) - ReleaseEvidence.firstMonth(of: release)
                return ReleaseEvidence.releaseWindow.contains(months)
            }
        }

        /// The release this source names, when it names a year and a quarter.
        package var release: ReleaseID? {
            guard case .named(let year, let quarter?) = kind else { return nil }
            return ReleaseID(year: year, quarter: quarter)
        }
    }

    /// The months, counted from the first month of a release's quarter, in which its `RELEASED`
    /// date may fall: from the sixth month before (the final rule is out in November for January)
    /// to the twelfth month from it (corrections and re-posts within the year). RVU26A: July 2025
    /// to December 2026.
    package static let releaseWindow = -6...11

    package var sources: [Source] = []

    package init(sources: [Source] = []) {
        self.sources = sources
    }

    /// The evidence of a release's PPRRVU members: the names of all of them (parsed, listed or
    /// failed), the titles and dates of those parsed. The other datasets' names carry a year
    /// at most, and not always the release's (`24LOCCO` is in RVU24A to RVU24D).
    package init(names: [MemberInfo], parsed: [ParsedMember]) {
        for info in names.sorted() where info.kind == .pprrvu { addMemberName(info.name) }
        for member in parsed where member.kind == .pprrvu {
            let name = String(member.name.split(separator: "/").last ?? Substring(member.name))
            if let title = member.title { addTitle(title, member: name) }
            if let date = member.releasedOn { addReleased(date, member: name) }
        }
    }

    /// The month count (year × 12 + month − 1) of the first month of a release's quarter.
    static func firstMonth(of release: ReleaseID) -> Int {
        let index = ReleaseID.Quarter.allCases.firstIndex(of: release.quarter) ?? 0
        return release.year * 12 + index * 3
    }

    /// Adds what a PPRRVU member's name shows: a year of two or four digits and a month
    /// (`JAN`, `APR`, `JUL`, `OCT` or the month's full name). Nothing when it shows no year.
    package mutating func addMemberName(_ name: String) {
        let base = String(name.split(separator: "/").last ?? Substring(name))
        let stem = base.split(separator: ".").first.map(String.init) ?? base
        guard let year = Self.year(in: stem) else { return }
        let quarter = Self.quarter(in: stem, wholeWords: false)
        add(Source(origin: .name, kind: .named(year: year, quarter: quarter), text: "the name \(stem)"))
    }

    /// Adds what a preamble title shows (`2024 National Physician Fee Schedule Relative Value
    /// File April Release`): its four-digit year and the month before `Release`.
    package mutating func addTitle(_ title: String, member: String) {
        guard let year = Self.year(in: title, twoDigits: false) else { return }
        let quarter = Self.quarter(in: title, wholeWords: true)
        add(Source(origin: .title, kind: .named(year: year, quarter: quarter), text: "the title of \(member), '\(title)'"))
    }

    /// Adds a `RELEASED` date.
    package mutating func addReleased(_ date: CalendarDate, member: String) {
        add(Source(origin: .released, kind: .released(date), text: "RELEASED \(date) in \(member)"))
    }

    /// Adds a source unless one of its sort showing the same is there: the CSV, TXT and XLSX
    /// members of a dataset, and 2026's two PPRRVU variants, share a name, a title and a date.
    private mutating func add(_ source: Source) {
        if !sources.contains(where: { $0.origin == source.origin && $0.kind == source.kind }) { sources.append(source) }
    }

    /// The error when the evidence disagrees with `release`; nil when it agrees or there is none.
    package func mismatch(with release: ReleaseID, sourceName: String) -> Diagnostic? {
        let disagreeing = sources.filter { !$0.agrees(with: release) }
        guard !disagreeing.isEmpty else { return nil }
        // The release the archive shows: the one most sources that name a quarter agree on.
        var counts: [ReleaseID: Int] = [:]
        for source in sources { if let shown = source.release { counts[shown, default: 0] += 1 } }
        let shown = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        let holds = shown.map { "holds \($0.shortName), not \(release.shortName)" } ?? "is not \(release.shortName)"
        let reasons = disagreeing.map { source in
            switch source.kind {
            case .named: source.text
            case .released(let date):
                "\(source.text), too \(ReleaseEvidence.firstMonth(of: release) > date.year * 12 + date.month - 1 ? "early" : "late") for \(release.shortName) (in effect from \(ReleaseEvidence.firstDay(of: release)))"
            }
        }
        return .error(
            .releaseMismatch,
            "this release \(holds): \(reasons.joined(separator: "; ")); check --release, or fetch the archive again if the file is mislabelled",
            at: SourceLocation(file: sourceName))
    }

    /// The first day of a release's quarter.
    static func firstDay(of release: ReleaseID) -> String {
        let month = firstMonth(of: release) % 12 + 1
        return "\(release.year)-\(month < 10 ? "0" : "")\(month)-01"
    }

    /// The first run of digits that reads as a year: four digits from 1990 to 2099, or (when
    /// `twoDigits`) exactly two digits, as 20YY.
    static func year(in text: String, twoDigits: Bool = true) -> Int? {
        var runs: [String] = []
        var current = ""
        for character in text {
            if character.isASCII, character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                runs.append(current)
                current = ""
            }
        }
        if !current.isEmpty { runs.append(current) }
        for run in runs {
            if run.count == 4, let year = Int(run), (1990...2099).contains(year) { return year }
            if twoDigits, run.count == 2, let year = Int(run) { return 2000 + year }
        }
        return nil
    }

    /// The quarter a month name shows: January, April, July, October (or JAN, APR, JUL, OCT in
    /// a member name, where words run together). Nil when no month, or more than one, is named.
    static func quarter(in text: String, wholeWords: Bool) -> ReleaseID.Quarter? {
        let upper = text.uppercased()
        let words = upper.split(whereSeparator: { !$0.isLetter }).map(String.init)
        var found: Set<ReleaseID.Quarter> = []
        for quarter in ReleaseID.Quarter.allCases {
            let month = quarter.monthName.uppercased()
            let abbreviation = String(month.prefix(3))
            let named =
                wholeWords
                ? words.contains(month)
                : words.contains { $0 == month || $0 == abbreviation || $0.hasPrefix(abbreviation) && $0.count <= 4 }
            if named { found.insert(quarter) }
        }
        return found.count == 1 ? found.first : nil
    }
}
