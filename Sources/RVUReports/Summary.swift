import RVUCatalog
import RVUCore
import RVUImport
import RVUMerge

/// The short summary `rvuimport` prints after an import.
public enum Summary {
    /// The summary of a full run: the release, then coverage, output and version; `diagnostics`
    /// are all the run's (the release's and the curated content's), counted in the summary.
    public static func text(
        _ imported: ImportedRelease, diagnostics: [Diagnostic], catalog: MergedCatalog?, written: CatalogWriter.Result?
    ) -> String {
        var lines = [text(imported, diagnostics: diagnostics)]
        if let catalog {
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
        if let written {
            lines.append("  wrote \(written.path) (catalog version \(written.catalogVersion))")
        } else {
            lines.append("  no catalog written: fix the errors above")
        }
        return lines.joined(separator: "\n")
    }

    /// The summary of an import; `diagnostics` are counted (the import's by default).
    public static func text(_ imported: ImportedRelease, diagnostics: [Diagnostic]? = nil) -> String {
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
        lines.append("  verified: " + verification(imported))
        let counts = (diagnostics ?? imported.diagnostics).counts
        lines.append(
            "  \(imported.variances.count) variance\(imported.variances.count == 1 ? "" : "s") between formats; \(counts.errors) error\(counts.errors == 1 ? "" : "s"), \(counts.warnings) warning\(counts.warnings == 1 ? "" : "s")\(counts.notes > 0 ? ", \(counts.notes) note\(counts.notes == 1 ? "" : "s")" : "")"
        )
        return lines.joined(separator: "\n")
    }

    /// Which formats were read and which only listed: `txt cross-checked against csv; xlsx not
    /// parsed (5 members: --verify all parses them)`.
    package static func verification(_ imported: ImportedRelease) -> String {
        var parts: [String] = []
        var checked: [String: Set<String>] = [:]
        for member in imported.members {
            guard let authoritative = imported.authoritative(member.kind, member.variant), authoritative.format != member.format
            else { continue }
            checked[authoritative.format.rawValue, default: []].insert(member.format.rawValue)
        }
        for (reference, formats) in checked.sorted(by: { $0.key < $1.key }) {
            parts.append("\(formats.sorted().joined(separator: " and ")) cross-checked against \(reference)")
        }
        if parts.isEmpty { parts.append("one format of each dataset read, nothing cross-checked") }
        let listed = imported.listedMembers
        if !listed.isEmpty {
            let formats = Set(listed.map(\.format.rawValue)).sorted().joined(separator: " and ")
            let count = "\(listed.count) member\(listed.count == 1 ? "" : "s")"
            parts.append("\(formats) not parsed (\(count); --verify all parses them)")
        }
        return parts.joined(separator: "; ")
    }
}
