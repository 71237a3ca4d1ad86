import RVUCore
import RVUImport

/// The short summary `rvuimport` prints after an import.
public enum Summary {
    /// The summary of a full run: the release, then coverage, output and version.
    public static func text(_ result: Pipeline.RunResult) -> String {
        var lines = [text(result.imported)]
        if let catalog = result.catalog {
            let coverage = catalog.coverage
            lines.append(
                "  curated: \(coverage.curatedInRelease) of \(coverage.releaseCodes) codes; \(coverage.uncurated.count) without curated content"
            )
            if !coverage.curatedNotInRelease.isEmpty {
                let listed = coverage.curatedNotInRelease.prefix(10).joined(separator: ", ")
                let more = coverage.curatedNotInRelease.count > 10 ? " and \(coverage.curatedNotInRelease.count - 10) more" : ""
                lines.append("  curated but not in the release (kept as content-only entries): \(listed)\(more)")
            }
        }
        if let written = result.written {
            lines.append("  wrote \(written.path) (catalog version \(written.catalogVersion))")
        } else {
            lines.append("  no catalog written: fix the errors above")
        }
        return lines.joined(separator: "\n")
    }

    /// The summary of an import.
    public static func text(_ imported: ImportedRelease) -> String {
        var lines: [String] = []
        lines.append(
            "\(imported.id) from \(imported.sourceName)\(imported.releasedOn.map { ", released \($0)" } ?? "")")
        for kind in DatasetKind.allCases {
            for variant in imported.variants(of: kind) {
                let members = imported.members.filter { $0.kind == kind && $0.variant == variant }
                let formats = members.map { "\($0.format.rawValue) \($0.rowCount)" }.joined(separator: ", ")
                lines.append("  \(kind.rawValue)\(variant == .general ? "" : " (\(variant.rawValue))"): \(formats) rows")
            }
        }
        let counts = imported.diagnostics.counts
        lines.append(
            "  \(imported.variances.count) variance\(imported.variances.count == 1 ? "" : "s") between formats; \(counts.errors) error\(counts.errors == 1 ? "" : "s"), \(counts.warnings) warning\(counts.warnings == 1 ? "" : "s")"
        )
        return lines.joined(separator: "\n")
    }
}
