import RVUCore
import RVUImport

/// What `rvuimport inspect` prints: per dataset member, its kind, variant, format, row count,
/// release date and diagnostics; then diagnostics that belong to no single member.
public struct InspectReport: Sendable {
    /// One dataset member's line of the report.
    public struct Entry: Sendable {
        public let member: String
        public let dataset: DatasetKind
        public let variant: Variant
        public let format: FileFormat
        /// Nil when the member could not be read at all.
        public let rows: Int?
        public let releasedOn: CalendarDate?
        public let diagnostics: [Diagnostic]
    }

    public let entries: [Entry]
    /// Diagnostics not tied to one member (a missing dataset, ...).
    public let otherDiagnostics: [Diagnostic]

    public init(_ imported: ImportedRelease) {
        var entries: [Entry] = []
        var used = Set<Int>()
        func diagnostics(for location: String) -> [Diagnostic] {
            var found: [Diagnostic] = []
            for (index, diagnostic) in imported.diagnostics.enumerated() where diagnostic.location?.file == location {
                used.insert(index)
                found.append(diagnostic)
            }
            return found
        }
        for member in imported.members {
            entries.append(
                Entry(
                    member: member.location, dataset: member.kind, variant: member.variant, format: member.format,
                    rows: member.rowCount, releasedOn: member.releasedOn, diagnostics: diagnostics(for: member.location)))
        }
        for failed in imported.failedMembers {
            entries.append(
                Entry(
                    member: failed.location, dataset: failed.kind, variant: failed.variant, format: failed.format, rows: nil,
                    releasedOn: nil, diagnostics: diagnostics(for: failed.location)))
        }
        entries.sort { ($0.dataset, $0.variant, $0.format, $0.member) < ($1.dataset, $1.variant, $1.format, $1.member) }
        self.entries = entries
        otherDiagnostics = imported.diagnostics.enumerated().filter { !used.contains($0.offset) }.map(\.element)
    }

    /// The report as text: a line per member, its diagnostics indented below it.
    public var text: String {
        var output = ""
        for entry in entries {
            let rows = entry.rows.map { "\($0) rows" } ?? "not read"
            let released = entry.releasedOn.map { ", released \($0)" } ?? ""
            output += "\(entry.member): \(entry.dataset.rawValue) \(entry.variant.rawValue) \(entry.format.rawValue), \(rows)\(released)\n"
            for diagnostic in entry.diagnostics { output += "  \(diagnostic)\n" }
        }
        for diagnostic in otherDiagnostics { output += "\(diagnostic)\n" }
        let counts = (entries.flatMap(\.diagnostics) + otherDiagnostics).counts
        output +=
            "\(entries.count) dataset member\(entries.count == 1 ? "" : "s"), \(counts.errors) error\(counts.errors == 1 ? "" : "s"), \(counts.warnings) warning\(counts.warnings == 1 ? "" : "s")\(counts.notes > 0 ? ", \(counts.notes) note\(counts.notes == 1 ? "" : "s")" : "")\n"
        return output
    }

    /// The report as JSON: `{"datasets": [{member, dataset, variant, format, rows, released_on,
    /// diagnostics}], "diagnostics": [...], "errors": N, "warnings": N, "notes": N}`.
    public var json: JSONValue {
        let counts = (entries.flatMap(\.diagnostics) + otherDiagnostics).counts
        return .object([
            (
                "datasets",
                .array(
                    entries.map { entry in
                        .object([
                            ("member", .string(entry.member)),
                            ("dataset", .string(entry.dataset.rawValue)),
                            ("variant", .string(entry.variant.rawValue)),
                            ("format", .string(entry.format.rawValue)),
                            ("rows", entry.rows.map { .int($0) } ?? .null),
                            ("released_on", .string(entry.releasedOn?.description)),
                            ("diagnostics", .array(entry.diagnostics.map(\.json))),
                        ])
                    })
            ),
            ("diagnostics", .array(otherDiagnostics.map(\.json))),
            ("errors", .int(counts.errors)),
            ("warnings", .int(counts.warnings)),
            ("notes", .int(counts.notes)),
        ])
    }
}
