import Dispatch
import RVUCatalog
import RVUCore
import RVUImport
import RVUMerge
import Synchronization

/// The catalog merged and written from the authoritative members while the importer still reads
/// the other formats for the cross-check, so that the writer's thread and the parsers share the
/// cores instead of taking turns.
///
/// The importer calls ``start(_:)`` once those members are parsed; a new thread then takes the
/// output's lock, creates the schema, merges and writes the data tables into a
/// ``CatalogDraft``. Nothing is renamed into place until ``finish(_:)``, which the pipeline calls
/// only when the whole import (cross-check included) found no error; ``abandon()`` removes the
/// draft. The result is the catalog a sequential run writes: same rows, same version.
final class EarlyCatalog: Sendable {
    private struct Written: Sendable {
        let draft: CatalogDraft
        let catalog: MergedCatalog
    }

    private enum State: Sendable {
        case idle
        case running(DispatchSemaphore)
    }

    private let output: String
    private let curated: CuratedContent
    private let state = Mutex(State.idle)
    private let outcome = Mutex<Result<Written, DiagnosticError>?>(nil)

    init(output: String, curated: CuratedContent) {
        self.output = output
        self.curated = curated
    }

    /// Starts merging and writing `records` (from the importer's worker thread; returns at once).
    func start(_ records: ReleaseData) {
        let finished = startThread { [self] in
            let result: Result<Written, DiagnosticError>
            do throws(DiagnosticError) {
                var lap = StageTiming.mark()
                let draft = try CatalogDraft(path: output)
                // Blanked once the import has let go of the records (see `finish`), not copied now.
                let catalog = Merger.merge(records, curated: curated, blankingDescriptors: false)
                StageTiming.report("merge (beside the import)", since: lap)
                lap = StageTiming.mark()
                try draft.writeRecords(catalog)
                StageTiming.report("data tables written (beside the import)", since: lap)
                result = .success(Written(draft: draft, catalog: catalog))
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
        }
        state.withLock { $0 = .running(finished) }
    }

    /// The written catalog, completed with the whole import's metadata and renamed into place;
    /// nil when nothing was started early, or when the import's authoritative members turned
    /// out to differ from those written (the caller then writes the catalog itself). Its
    /// proprietary descriptors are still to be blanked
    /// (``MergedCatalog/blankProprietaryDescriptors()``), once the import's records are released.
    func finish(_ imported: ImportedRelease) throws(DiagnosticError) -> (MergedCatalog, CatalogWriter.Result)? {
        guard let written = try take()?.get() else { return nil }
        guard Set(imported.authoritativeMembers.map(\.name)) == Set(written.catalog.release.members.map(\.name)) else {
            written.draft.abandon()
            return nil
        }
        var catalog = written.catalog
        catalog.release.members = imported.memberList
        catalog.release.notices = imported.notices
        catalog.release.releasedOn = imported.releasedOn
        catalog.release.nationalAnesthesiaCF = imported.nationalAnesthesiaCF
        let lap = StageTiming.mark()
        let result = try written.draft.complete(catalog)
        StageTiming.report("catalog completed", since: lap)
        return (catalog, result)
    }

    /// Removes whatever was written (the import found errors).
    func abandon() {
        if case .success(let written)? = take() { written.draft.abandon() }
    }

    /// Waits for the writing thread, if one was started, and takes what it wrote (so that the
    /// caller holds the only copy of the catalog).
    private func take() -> Result<Written, DiagnosticError>? {
        guard case .running(let finished) = state.withLock({ $0 }) else { return nil }
        finished.wait()
        finished.signal()
        return outcome.withLock { outcome in
            defer { outcome = nil }
            return outcome
        }
    }
}
