import RVUCore
import Synchronization

/// The limits of one import and the bytes inflated so far, shared by every member and every
/// XLSX part of the release, whichever thread inflates them.
///
/// It is passed as a value: to ``ZipArchive`` for the release archive and, by the importer, to
/// ``XLSXWorkbook`` for the zip inside each XLSX member, so that both charge the same total.
package final class ImportScope: Sendable {
    /// The limits in force.
    package let limits: ImportLimits
    /// Where the total is reported (the archive or folder name).
    package let sourceName: String
    private let inflated = Atomic<Int>(0)
    private let rows = Atomic<Int>(0)

    /// A scope with nothing inflated yet.
    package init(limits: ImportLimits, sourceName: String) {
        self.limits = limits
        self.sourceName = sourceName
    }

    /// The bytes reserved or inflated so far.
    package var inflatedBytes: Int { inflated.load(ordering: .relaxed) }

    /// Reserves `count` bytes of the total before they are inflated; throws `total-too-large`
    /// at `location` when the release would inflate to more than ``ImportLimits/maximumTotalBytes``.
    package func reserve(_ count: Int, at location: SourceLocation) throws(DiagnosticError) {
        let total = inflated.add(count, ordering: .relaxed).newValue
        guard total <= limits.maximumTotalBytes else {
            inflated.subtract(count, ordering: .relaxed)
            throw DiagnosticError(
                .totalTooLarge,
                "the release inflates to more than the limit of \(ImportLimits.describe(bytes: limits.maximumTotalBytes)) "
                    + "in all (members and the parts of XLSX members); a zip bomb? if the release is genuine, "
                    + "raise --max-total-mib",
                at: location)
        }
    }

    /// Counts one data row; throws `too-many-rows` at `location` past ``ImportLimits/maximumRows``.
    package func countRow(at location: @autoclosure () -> SourceLocation) throws(DiagnosticError) {
        guard rows.add(1, ordering: .relaxed).newValue > limits.maximumRows else { return }
        throw DiagnosticError(
            .tooManyRows,
            "the release has more than \(limits.maximumRows) data rows in all; is this really a CMS release? "
                + "if it is, raise --max-rows",
            at: location())
    }

    /// Gives back reserved bytes that were not inflated.
    package func release(_ count: Int) {
        if count > 0 { inflated.subtract(count, ordering: .relaxed) }
    }
}
