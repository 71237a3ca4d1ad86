import Foundation
import RVUCore

/// Builds a history from catalogs and adds catalogs to one:
///
///     catalogs -> CatalogSnapshot (values as published) -> HistoryTimeline (periods) -> HistoryStore (file)
public enum HistoryBuilder {
    /// What a build or an add did, for the command to print.
    public struct Report: Sendable {
        /// Each release with its effective dates and where they came from.
        public let releases: [(release: ReleaseID, from: CalendarDate, to: CalendarDate?, rule: String)]
        /// The spans answered from an earlier release (see ``HistoryTimeline/carriedForward``).
        public let carriedForward: [HistoryTimeline.CarriedForward]
        public let rvuPeriods: Int
        public let localityPeriods: Int

        /// The report of `timeline`; `periodCounts` when it holds only some of the history's
        /// periods (the rest being in the file).
        public init(_ timeline: HistoryTimeline, periodCounts: (rvu: Int, locality: Int)? = nil) {
            releases = timeline.releases.map { ($0.id, $0.effectiveFrom, timeline.effectiveTo(of: $0), $0.rule) }
            carriedForward = timeline.carriedForward
            (rvuPeriods, localityPeriods) = periodCounts ?? timeline.periodCounts
        }

        /// The lines `history build` prints.
        public var lines: [String] {
            var lines = releases.map { entry in
                let span =
                    entry.to.map { $0 == entry.from ? "superseded the same day" : "\(entry.from) to \($0) (exclusive)" }
                    ?? "from \(entry.from), open"
                let rule = entry.rule == "quarter" ? "" : " [\(entry.rule.hasPrefix("exception") ? "known exception" : "--effective")]"
                return "\(entry.release): \(span)\(rule)"
            }
            for span in carriedForward {
                lines.append(
                    "carried forward: \(span.startsOn) to \(span.endsOn) (exclusive) has no loaded release; answers come from \(span.release)"
                )
            }
            lines.append("\(rvuPeriods) RVU periods, \(localityPeriods) locality periods")
            return lines
        }
    }

    /// A history from `catalogs` (in any order: the result is the same), with `overrides` of
    /// effective dates. Two catalogs of one release are an error unless they are the same catalog.
    public static func build(catalogs: [String], overrides: [ReleaseID: CalendarDate] = [:]) throws(DiagnosticError) -> HistoryTimeline {
        var snapshots: [CatalogSnapshot] = []
        for path in catalogs {
            let snapshot = try CatalogSnapshot.read(path)
            if let other = snapshots.first(where: { $0.release == snapshot.release }) {
                guard other.catalogVersion == snapshot.catalogVersion else {
                    throw DiagnosticError(
                        .historyConflict,
                        "two catalogs of \(snapshot.release) with different versions (\(other.catalogVersion), \(snapshot.catalogVersion)); pass one",
                        at: SourceLocation(file: path))
                }
                continue
            }
            snapshots.append(snapshot)
        }
        try checkOverrides(overrides, releases: snapshots.map(\.release))
        let dated = snapshots.map { ($0, EffectiveDates.effectiveFrom($0.release, overrides: overrides)) }
            .sorted { $0.1.0 != $1.1.0 ? $0.1.0 < $1.1.0 : $0.0.release < $1.0.release }
        var timeline = HistoryTimeline()
        for (snapshot, (from, rule)) in dated {
            _ = try timeline.add(snapshot, effectiveFrom: from, rule: rule.text)
        }
        return timeline
    }

    /// Adds the catalog at `catalog` to the history at `history` (created when missing). The
    /// outcome is `.alreadyPresent` when the catalog is there already: the file is not touched.
    ///
    /// Only the periods the release can change are read (those ending on or after the day it
    /// takes effect, or open), and only the keys whose periods changed are written from memory:
    /// the rest is copied inside SQLite. The file is the one a build of the same catalogs gives
    /// (see ``HistoryStore/write(_:to:patching:)``).
    public static func add(catalog: String, history: String, overrides: [ReleaseID: CalendarDate] = [:]) throws(DiagnosticError)
        -> (Report, HistoryTimeline.Outcome)
    {
        let lock = try HistoryLock(for: history)
        defer { lock.release() }
        let snapshot = try CatalogSnapshot.read(catalog)
        try checkOverrides(overrides, releases: [snapshot.release])
        let (from, rule) = EffectiveDates.effectiveFrom(snapshot.release, overrides: overrides)
        guard FileManager.default.fileExists(atPath: history) else {
            var timeline = HistoryTimeline()
            let outcome = try timeline.add(snapshot, effectiveFrom: from, rule: rule.text)
            try HistoryStore.write(timeline, to: history)
            return (Report(timeline), outcome)
        }
        let releases = try HistoryStore.loadReleases(history)
        let stored = releases.first { $0.id == snapshot.release }
        if let stored, stored.catalogVersion == snapshot.catalogVersion {
            let timeline = HistoryTimeline(releases: releases, rvu: .init(), localities: .init())
            return (Report(timeline, periodCounts: try HistoryStore.periodCounts(history)), .alreadyPresent)
        }
        // A new catalog of a release already there replaces its values from its stored date.
        let day = stored?.effectiveFrom ?? from
        let loaded = try HistoryStore.load(history, periodsFrom: day)
        var timeline = loaded
        let outcome = try timeline.add(snapshot, effectiveFrom: from, rule: rule.text)
        let patch = HistoryStore.Patch(
            read: loaded, rvu: timeline.rvu.changedKeys(from: loaded.rvu),
            localities: timeline.localities.changedKeys(from: loaded.localities))
        let counts = try HistoryStore.write(timeline, to: history, patching: patch)
        return (Report(timeline, periodCounts: counts), outcome)
    }

    /// An override naming no loaded release is a mistake (a typo would silently do nothing).
    static func checkOverrides(_ overrides: [ReleaseID: CalendarDate], releases: [ReleaseID]) throws(DiagnosticError) {
        for release in overrides.keys.sorted() where !releases.contains(release) {
            throw DiagnosticError(
                .usage,
                "--effective names \(release), which is not among the catalogs given (\(releases.sorted().map(\.description).joined(separator: ", ")))",
                at: nil)
        }
    }
}

/// An exclusive advisory lock (flock) on `.NAME.lock` beside a history, held while adding.
final class HistoryLock {
    private var descriptor: Int32

    init(for path: String) throws(DiagnosticError) {
        let url = URL(fileURLWithPath: path)
        let lockPath = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".lock"
        descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DiagnosticError(
                .historyWrite, "cannot create the lock file \(lockPath): \(String(cString: strerror(errno)))",
                at: SourceLocation(file: path))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            descriptor = -1
            throw DiagnosticError(
                .historyBusy, "another rvuimport is writing this history now; run again when it has finished",
                at: SourceLocation(file: path))
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
