import RVUCore

/// When a release takes effect: the first day of its quarter (A January 1, B April 1, C July 1,
/// D October 1 of its year), unless a known exception below or the user (`--effective
/// RVU24AR=2024-03-09`) says otherwise. A correction (`RVU24AR`) or re-post
/// (`rvu26a-updated-12-29-2025`) takes effect on its quarter's first day too unless listed:
/// CMS's corrections are retroactive to the quarter unless a law or notice dates them.
public enum EffectiveDates {
    /// A release taking effect on another day than its quarter's first, and why.
    public struct Exception: Sendable {
        /// The release (every re-post of it matches too, see ``RVUCore/ReleaseID/matches(_:)``).
        public let release: ReleaseID
        public let effectiveFrom: CalendarDate
        /// Where the date comes from.
        public let source: String
    }

    /// The known exceptions, each with its source (documented in docs/history.md).
    public static let exceptions: [Exception] = [
        Exception(
            release: ReleaseID(year: 2024, quarter: .a, isCorrection: true),
            effectiveFrom: date(2024, 3, 9),
            source: """
                Consolidated Appropriations Act, 2024 (Pub. L. 118-42, signed March 9, 2024): \
                the 2024 conversion factor rose from 32.7442 to 33.2875 for services on or after March 9, 2024; CMS \
                re-posted the January files as RVU24AR with the new factor.
                """)
    ]

    /// Where a release's effective date came from, as stored in `source_release.effective_rule`.
    public enum Rule: Sendable, Equatable {
        case quarter
        case exception(String)
        case user

        /// The stored text: `quarter`, `exception: SOURCE`, `user`.
        public var text: String {
            switch self {
            case .quarter: "quarter"
            case .exception(let source): "exception: \(source)"
            case .user: "user"
            }
        }
    }

    /// The first day of a release's quarter.
    public static func quarterStart(of release: ReleaseID) -> CalendarDate {
        quarterStart(year: release.year, quarter: release.quarter)
    }

    /// The first day of a quarter.
    public static func quarterStart(year: Int, quarter: ReleaseID.Quarter) -> CalendarDate {
        let month =
            switch quarter {
            case .a: 1
            case .b: 4
            case .c: 7
            case .d: 10
            }
        return date(year, month, 1)
    }

    /// The first day of the quarter after the one holding `day`.
    public static func nextQuarterStart(after day: CalendarDate) -> CalendarDate {
        let month = ((day.month - 1) / 3 + 1) * 3 + 1
        return month > 12 ? date(day.year + 1, 1, 1) : date(day.year, month, 1)
    }

    /// When `release` takes effect: a user override first (`overrides`, matched exactly), then
    /// the exception table, then its quarter's first day.
    public static func effectiveFrom(_ release: ReleaseID, overrides: [ReleaseID: CalendarDate] = [:]) -> (CalendarDate, Rule) {
        if let day = overrides[release] { return (day, .user) }
        if let exception = exceptions.first(where: { $0.release.matches(release) }) {
            return (exception.effectiveFrom, .exception(exception.source))
        }
        return (quarterStart(of: release), .quarter)
    }

    /// Parses `RVU24AR=2024-03-09`.
    public static func parseOverride(_ text: String) throws(DiagnosticError) -> (ReleaseID, CalendarDate) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw DiagnosticError(.usage, "'\(text)' is not ID=DATE, as in RVU24AR=2024-03-09", at: nil)
        }
        let release: ReleaseID
        do { release = try ReleaseID(parsing: String(parts[0])) } catch {
            throw DiagnosticError(.usage, error.message, at: nil)
        }
        guard let day = CalendarDate(iso: parts[1]) else {
            throw DiagnosticError(.usage, "'\(parts[1])' is not a date (YYYY-MM-DD) in '\(text)'", at: nil)
        }
        return (release, day)
    }

    /// A date known to exist (the constants above).
    static func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            preconditionFailure("invalid constant date \(year)-\(month)-\(day)")
        }
        return date
    }
}
