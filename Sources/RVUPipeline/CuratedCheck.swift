import RVUCatalog
import RVUCore
import RVUMerge

/// Checks the editors' curated content alone, without a release: every file parsed and
/// validated as the import does (placeholders left by a scaffold included); with a catalog, a
/// warning for each curated code that catalog's release does not list (it stays a content-only
/// entry, which is allowed). The job that runs on editors' pull requests.
///
///     folder of YAML -> Pipeline.curatedFiles -> CuratedContentParser.parse -> (+ catalog's codes) diagnostics
public struct CuratedCheck: Sendable {
    /// The folder checked, as given.
    public let folder: String
    /// The catalog compared with, and its release id.
    public let catalog: String?
    public let release: String?
    public let files: Int
    /// Entries and category notes that parsed without an error.
    public let entries: Int
    public let categories: Int
    /// Each problem found, errors and warnings, in file order.
    public let diagnostics: [Diagnostic]

    /// Checks `folder`; with `catalog`, against its release. `strict` makes warnings errors.
    /// Throws when the folder, one of its files or the catalog cannot be read.
    public static func run(folder: String, catalog: String? = nil, strict: Bool = false) throws(DiagnosticError) -> CuratedCheck {
        let files = try Pipeline.curatedFiles(in: folder)
        let (content, found) = CuratedContentParser.parse(files)
        var diagnostics = found
        if files.isEmpty {
            diagnostics.append(
                .warning(
                    .curatedEmpty, "the folder holds no .yaml files: no code would have a curated title or text",
                    at: SourceLocation(file: folder)))
        }
        var release: String?
        if let catalog {
            let reader = try CatalogReader(path: catalog)
            let id = try reader.meta()["release_id"] ?? "the catalog"
            release = id
            let inRelease = Set(try reader.codeStates().filter { $0.status != nil }.map(\.code))
            for entry in content.entries.values where !inRelease.contains(entry.code) {
                diagnostics.append(
                    .warning(
                        .curatedNotInRelease,
                        "\(entry.code) is not in \(id)'s release (no RVU rows): its entry stays content-only; check the code if that is not meant",
                        at: entry.location))
            }
        }
        return CuratedCheck(
            folder: folder, catalog: catalog, release: release, files: files.count, entries: content.entries.count,
            categories: content.categories.count,
            diagnostics: diagnostics.map { $0.escalated(strict: strict) }.sorted(by: Self.fileOrder))
    }

    /// File, then line, then column (then message, so that the order is always the same);
    /// diagnostics without a place first.
    static func fileOrder(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        let left = (lhs.location?.file ?? "", lhs.location?.line ?? 0, lhs.location?.column ?? 0, lhs.message)
        let right = (rhs.location?.file ?? "", rhs.location?.line ?? 0, rhs.location?.column ?? 0, rhs.message)
        return left < right
    }

    /// One line: what was read and the counts, e.g.
    /// `Samples/curated: 6 files, 28 entries, 5 category notes: 0 errors, 0 warnings`.
    public var summary: String {
        let counts = diagnostics.counts
        let against = release.map { " (against \($0))" } ?? ""
        func count(_ number: Int, _ one: String, _ many: String) -> String { "\(number) \(number == 1 ? one : many)" }
        return "\(folder): \(count(files, "file", "files")), \(count(entries, "entry", "entries")), "
            + "\(count(categories, "category note", "category notes"))\(against): "
            + "\(count(counts.errors, "error", "errors")), \(count(counts.warnings, "warning", "warnings"))"
    }

    /// `{"folder", "catalog", "release", "files", "entries", "categories", "counts": {"errors",
    /// "warnings"}, "diagnostics": [{"severity", "code", "message", "file", "sheet", "line", "column"}]}`.
    public var json: JSONValue {
        let counts = diagnostics.counts
        return .object([
            ("folder", .string(folder)),
            ("catalog", .string(catalog)),
            ("release", .string(release)),
            ("files", .int(files)),
            ("entries", .int(entries)),
            ("categories", .int(categories)),
            ("counts", .object([("errors", .int(counts.errors)), ("warnings", .int(counts.warnings))])),
            ("diagnostics", .array(diagnostics.map(\.json))),
        ])
    }
}
