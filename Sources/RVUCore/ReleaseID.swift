/// The identity of a CMS PFS relative-value release: `RVU26A`, `RVU24AR`, or a re-posted archive
/// such as `rvu26a-updated-12-29-2025`.
///
/// The year and quarter name the release; the revision (a correction notice `R` and/or a re-post
/// date) is part of its identity and is kept. Revisions of one release order by re-post date, then
/// by the correction mark: a plain release is older than any of its revisions.
public struct ReleaseID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The release quarter: A January, B April, C July, D October.
    public enum Quarter: String, Sendable, Hashable, Comparable, Codable, CaseIterable {
        case a = "A", b = "B", c = "C", d = "D"

        /// The month the quarter's release takes effect.
        public var monthName: String {
            switch self {
            case .a: "January"
            case .b: "April"
            case .c: "July"
            case .d: "October"
            }
        }

        public static func < (lhs: Quarter, rhs: Quarter) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The calendar year, four digits (`2026`).
    public let year: Int
    public let quarter: Quarter
    /// True for a correction notice (`RVU24AR`).
    public let isCorrection: Bool
    /// The date in a re-posted archive's name (`-updated-12-29-2025`), if any.
    public let repostedOn: CalendarDate?

    /// Creates a release id.
    public init(year: Int, quarter: Quarter, isCorrection: Bool = false, repostedOn: CalendarDate? = nil) {
        self.year = year
        self.quarter = quarter
        self.isCorrection = isCorrection
        self.repostedOn = repostedOn
    }

    /// The release without its revision: `RVU26A`.
    public var base: ReleaseID { ReleaseID(year: year, quarter: quarter) }

    /// True when a revision is named (correction mark or re-post date).
    public var hasRevision: Bool { isCorrection || repostedOn != nil }

    /// The short id: `RVU26A`, `RVU24AR`.
    public var shortName: String {
        let yy = year % 100
        return "RVU\(yy < 10 ? "0" : "")\(yy)\(quarter.rawValue)\(isCorrection ? "R" : "")"
    }

    /// The revision alone: `original`, `R`, `updated 2025-12-29`, `R updated 2024-04-01`.
    public var revisionName: String {
        switch (isCorrection, repostedOn) {
        case (false, nil): "original"
        case (true, nil): "R"
        case (false, let date?): "updated \(date)"
        case (true, let date?): "R updated \(date)"
        }
    }

    /// `RVU26A`, `RVU24AR`, or `RVU26A-updated-2025-12-29`: parses back to the same id.
    public var description: String {
        guard let repostedOn else { return shortName }
        return "\(shortName)-updated-\(repostedOn)"
    }

    /// True when `other` names this release and, where `self` names a revision, that revision.
    /// `RVU25D` matches every revision of 25D; `RVU25DR` only corrections.
    public func matches(_ other: ReleaseID) -> Bool {
        guard other.year == year, other.quarter == quarter else { return false }
        if isCorrection, !other.isCorrection { return false }
        if let repostedOn, other.repostedOn != repostedOn { return false }
        return true
    }

    public static func < (lhs: ReleaseID, rhs: ReleaseID) -> Bool {
        if lhs.year != rhs.year { return lhs.year < rhs.year }
        if lhs.quarter != rhs.quarter { return lhs.quarter < rhs.quarter }
        let leftDate = lhs.repostedOn ?? CalendarDate(year: 1900, month: 1, day: 1)
        let rightDate = rhs.repostedOn ?? CalendarDate(year: 1900, month: 1, day: 1)
        if leftDate != rightDate, let leftDate, let rightDate { return leftDate < rightDate }
        return !lhs.isCorrection && rhs.isCorrection
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { self = try ReleaseID(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a text is not a release id.
public struct ReleaseIDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text that was not an id.
    public let text: String
    /// Why, and the accepted forms.
    public let reason: String
    public var message: String { "invalid release id '\(text)': \(reason)" }
    public var description: String { message }
}

extension ReleaseID {
    /// Parses `RVU26A`, `rvu24ar`, `RVU26A.zip`, `rvu26a-updated-12-29-2025(.zip)`,
    /// `rvu24ar-posted-04/01/2024` and this type's own ``description``. Case is ignored.
    public init(parsing text: String) throws(ReleaseIDError) {
        var name = Substring(text.trimmingSpaces)
        if let slash = name.lastIndex(where: { $0 == "/" }), name.lowercased().hasSuffix(".zip") {
            name = name[name.index(after: slash)...]
        }
        if name.lowercased().hasSuffix(".zip") { name = name.dropLast(4) }
        let lower = name.lowercased()
        func fail(_ why: String) -> ReleaseIDError {
            ReleaseIDError(
                text: text,
                reason:
                    "\(why); expected RVU, two digits of the year and a quarter letter A-D, as in RVU26A, RVU24AR or rvu26a-updated-12-29-2025"
            )
        }
        guard lower.hasPrefix("rvu") else { throw fail("it does not start with RVU") }
        var rest = Substring(lower.dropFirst(3))
        let yearDigits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard yearDigits.count == 2, let yy = Int(yearDigits) else {
            throw fail("the year must be two digits")
        }
        rest = rest.dropFirst(2)
        guard let letter = rest.first, let quarter = Quarter(rawValue: String(letter).uppercased()) else {
            throw fail(
                rest.isEmpty
                    ? "the quarter letter is missing"
                    : "'\(rest.prefix(1).uppercased())' is not a quarter (A January, B April, C July, D October)")
        }
        rest = rest.dropFirst()
        var isCorrection = false
        if rest.first == "r" {
            isCorrection = true
            rest = rest.dropFirst()
        }
        var repostedOn: CalendarDate?
        if !rest.isEmpty {
            // A re-post suffix: separator, a word, separator, a date.
            guard rest.first == "-" || rest.first == "_" || rest.first == " " else {
                throw fail("unexpected '\(rest)' after the quarter")
            }
            rest = rest.dropFirst()
            let word = rest.prefix(while: { $0.isLetter })
            guard ["updated", "posted", "revised", "corrected", "update", "repost", "reposted"].contains(String(word)) else {
                throw fail("unexpected '\(rest)' after the quarter (a re-posted archive is named like rvu26a-updated-12-29-2025)")
            }
            rest = rest.dropFirst(word.count).drop(while: { $0 == "-" || $0 == "_" || $0 == " " })
            if let date = CalendarDate(usFormat: rest) ?? CalendarDate(iso: rest) {
                repostedOn = date
            } else {
                throw fail("'\(rest)' is not a date (mm-dd-yyyy)")
            }
        }
        self.init(year: 2000 + yy, quarter: quarter, isCorrection: isCorrection, repostedOn: repostedOn)
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line breaks.
    package var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" || first == "\r" || first == "\n" {
            view = view.dropFirst()
        }
        while let last = view.last, last == " " || last == "\t" || last == "\r" || last == "\n" {
            view = view.dropLast()
        }
        return String(view)
    }
}
