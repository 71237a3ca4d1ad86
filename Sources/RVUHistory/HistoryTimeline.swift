import RVUCore

/// The effective-dated history in memory: the loaded releases and the periods of every RVU row
/// and locality. Adding the same catalogs in any order gives the same timeline: a release's
/// values hold from its effective date until the next loaded release's (see ``EffectiveDates``).
public struct HistoryTimeline: Sendable {
    /// A loaded release (a row of `source_release`).
    public struct Release: Sendable, Equatable {
        public let id: ReleaseID
        public let catalogVersion: String
        public let releasedOn: String?
        public let effectiveFrom: CalendarDate
        /// ``EffectiveDates/Rule/text``.
        public let rule: String
    }

    /// A span of days with no loaded release of its own: the values are carried forward.
    public struct CarriedForward: Sendable, Equatable {
        public let startsOn: CalendarDate
        /// The first day after it.
        public let endsOn: CalendarDate
        /// The release whose values are carried.
        public let release: ReleaseID
    }

    /// Sorted by effective date, then id (a later revision taking effect the same day wins).
    public private(set) var releases: [Release] = []
    var rvu = PeriodTable<RVUKey>()
    var localities = PeriodTable<LocalityKey>()

    public init() {}

    init(releases: [Release], rvu: PeriodTable<RVUKey>, localities: PeriodTable<LocalityKey>) {
        self.releases = releases.sorted(by: Self.ordered)
        self.rvu = rvu
        self.localities = localities
    }

    static func ordered(_ lhs: Release, _ rhs: Release) -> Bool {
        lhs.effectiveFrom != rhs.effectiveFrom ? lhs.effectiveFrom < rhs.effectiveFrom : lhs.id < rhs.id
    }

    /// What ``add(_:effectiveFrom:rule:)`` did.
    public enum Outcome: Sendable, Equatable {
        case added, replaced, alreadyPresent
    }

    /// Adds a catalog's release taking effect on `effectiveFrom`. The same release with the same
    /// catalog version is already there (nothing changes); with another catalog version it
    /// replaces the release's values (at the date stored for it: a new date needs a rebuild).
    public mutating func add(_ snapshot: CatalogSnapshot, effectiveFrom: CalendarDate, rule: String) throws(DiagnosticError)
        -> Outcome
    {
        var outcome = Outcome.added
        var effectiveFrom = effectiveFrom
        var rule = rule
        if let index = releases.firstIndex(where: { $0.id == snapshot.release }) {
            let stored = releases[index]
            if stored.catalogVersion == snapshot.catalogVersion { return .alreadyPresent }
            if stored.effectiveFrom != effectiveFrom, rule == EffectiveDates.Rule.user.text {
                throw DiagnosticError(
                    .historyConflict,
                    "\(snapshot.release) is in the history already, effective \(stored.effectiveFrom); to change its date, rebuild with history build --effective",
                    at: nil)
            }
            effectiveFrom = stored.effectiveFrom
            rule = stored.rule
            releases.remove(at: index)
            outcome = .replaced
        }
        let entry = Release(
            id: snapshot.release, catalogVersion: snapshot.catalogVersion, releasedOn: snapshot.releasedOn, effectiveFrom: effectiveFrom,
            rule: rule)
        // A later revision taking effect the same day keeps its values: this one is superseded.
        let superseded = releases.contains { $0.effectiveFrom == effectiveFrom && $0.id > snapshot.release }
        if !superseded {
            let nextDate = releases.lazy.map(\.effectiveFrom).filter { $0 > effectiveFrom }.min()
            let nextRelease = nextDate.flatMap { date in releases.last(where: { $0.effectiveFrom == date }) }
            let name = snapshot.release.description
            rvu.splice(snapshot.rvu, release: name, from: effectiveFrom, to: nextDate, nextRelease: nextRelease?.id.description)
            localities.splice(
                snapshot.localities, release: name, from: effectiveFrom, to: nextDate, nextRelease: nextRelease?.id.description)
        }
        releases.append(entry)
        releases.sort(by: Self.ordered)
        return outcome
    }

    /// The day a release stops applying (exclusive): the next later effective date, nil for the
    /// last; its own effective date when a later revision taking effect that day supersedes it.
    public func effectiveTo(of release: Release) -> CalendarDate? {
        if releases.contains(where: { $0.effectiveFrom == release.effectiveFrom && $0.id > release.id }) {
            return release.effectiveFrom
        }
        return releases.lazy.map(\.effectiveFrom).filter { $0 > release.effectiveFrom }.min()
    }

    /// The spans between two loaded releases that start a quarter of their own with no release
    /// loaded for it (a yearly refresh loads only January releases): every quarter's first day
    /// strictly between two consecutive effective dates begins one, ending at the next quarter or
    /// the next release, whichever comes first.
    public var carriedForward: [CarriedForward] {
        var result: [CarriedForward] = []
        var winners: [Release] = []
        for release in releases {
            if let last = winners.last, last.effectiveFrom == release.effectiveFrom { winners.removeLast() }
            winners.append(release)
        }
        for (earlier, later) in zip(winners, winners.dropFirst()) {
            var start = EffectiveDates.nextQuarterStart(after: earlier.effectiveFrom)
            while start < later.effectiveFrom {
                let next = EffectiveDates.nextQuarterStart(after: start)
                result.append(CarriedForward(startsOn: start, endsOn: min(next, later.effectiveFrom), release: earlier.id))
                start = next
            }
        }
        return result
    }

    /// Number of RVU periods and locality periods.
    public var periodCounts: (rvu: Int, locality: Int) { (rvu.count, localities.count) }
}
