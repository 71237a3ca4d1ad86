import RVUCatalog
import RVUCore

/// What editors must do for a release, computed from catalogs alone: the release's codes without
/// a curated entry, the codes new since an older catalog, curated codes deleted or no longer
/// payable, and curated entries of codes the release does not list.
public struct Worklist: Sendable {
    public struct NewCode: Sendable, Equatable {
        public let code: String
        public let category: String
        public let curated: Bool
    }

    public struct DeletedCode: Sendable, Equatable {
        public let code: String
        /// The status in the new catalog (`D`, `F`, `I`, `X`), nil when it has no RVU row there.
        public let status: String?
    }

    public let release: String
    public let since: String?
    /// Codes with RVU rows in the new catalog and no curated entry, with their category.
    public let uncurated: [(code: String, category: String)]
    /// Codes with RVU rows in the new catalog and none in the old (empty without an old catalog).
    public let new: [NewCode]
    public let deleted: [DeletedCode]
    /// Curated codes without RVU rows in the new catalog.
    public let contentOnly: [String]
    public let releaseCodes: Int

    /// Statuses of deleted codes (D, F) and of codes not payable by Medicare (I, X).
    public static let deletedStatuses: Set<String> = ["D", "F", "I", "X"]

    public init(release: String, codes: [CodeState], since: String? = nil, old: [CodeState]? = nil) {
        self.release = release
        self.since = since
        let inRelease = codes.filter { $0.status != nil }
        releaseCodes = inRelease.count
        uncurated = inRelease.filter { !$0.curated }.map { ($0.code, $0.category) }
        contentOnly = codes.filter { $0.curated && $0.status == nil }.map(\.code)
        // Deleted or not payable on every row: a lab test whose global row is X but whose
        // professional component is payable stays.
        var deleted = codes.filter { $0.curated && !$0.statuses.isEmpty && $0.statuses.allSatisfy(Self.deletedStatuses.contains) }
            .map { DeletedCode(code: $0.code, status: $0.status) }
        if let old {
            let oldInRelease = Set(old.filter { $0.status != nil }.map(\.code))
            new = inRelease.filter { !oldInRelease.contains($0.code) }.map {
                NewCode(code: $0.code, category: $0.category, curated: $0.curated)
            }
            deleted += codes.filter { $0.curated && $0.status == nil && oldInRelease.contains($0.code) }
                .map { DeletedCode(code: $0.code, status: nil) }
            deleted.sort { $0.code < $1.code }
        } else {
            new = []
        }
        self.deleted = deleted
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, csv, json
    }

    var counts: [(String, Int)] {
        [
            ("release_codes", releaseCodes), ("uncurated", uncurated.count), ("new", new.count), ("deleted", deleted.count),
            ("content_only", contentOnly.count),
        ]
    }

    public func render(_ format: Format, maximumCodes: Int = 50) -> String {
        switch format {
        case .text: text
        case .markdown: markdown(maximumCodes: maximumCodes)
        case .csv: csv
        case .json: json.rendered(indent: 2) + "\n"
        }
    }

    /// The uncurated codes grouped by category, categories in name order.
    var uncuratedByCategory: [(category: String, codes: [String])] {
        var groups: [String: [String]] = [:]
        for item in uncurated { groups[item.category, default: []].append(item.code) }
        return groups.keys.sorted().map { ($0, groups[$0] ?? []) }
    }

    func deletedText(_ item: DeletedCode) -> String {
        item.status.map { "\(item.code) (status \($0))" } ?? "\(item.code) (no RVU rows in \(release))"
    }

    var text: String {
        var lines = ["worklist for \(release)" + (since.map { " since \($0)" } ?? "")]
        lines += counts.map { "\($0.0): \($0.1)" }
        for group in uncuratedByCategory {
            lines.append("uncurated \(group.category) (\(group.codes.count)): \(group.codes.joined(separator: " "))")
        }
        if !new.isEmpty {
            lines.append("new (\(new.count)): " + new.map { "\($0.code)\($0.curated ? " (curated)" : "")" }.joined(separator: " "))
        }
        if !deleted.isEmpty { lines.append("deleted (\(deleted.count)): " + deleted.map(deletedText).joined(separator: " ")) }
        if !contentOnly.isEmpty { lines.append("content only (\(contentOnly.count)): " + contentOnly.joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Counts first, then each list cut to `maximumCodes` codes with "and K more": for a
    /// pull-request comment.
    func markdown(maximumCodes: Int) -> String {
        func list(_ items: [String]) -> String {
            let shown = items.prefix(maximumCodes).map { "`\($0)`" }.joined(separator: ", ")
            return items.count > maximumCodes ? "\(shown) and \(items.count - maximumCodes) more" : shown
        }
        var out = "## Editors' worklist: \(release)" + (since.map { " since \($0)" } ?? "") + "\n\n| list | codes |\n|---|---:|\n"
        for (name, count) in counts { out += "| \(name.replacingOccurrences(of: "_", with: " ")) | \(count) |\n" }
        if !uncurated.isEmpty {
            out += "\n### Uncurated\n\n"
            for group in uncuratedByCategory { out += "- **\(group.category)** (\(group.codes.count)): \(list(group.codes))\n" }
        }
        if !new.isEmpty { out += "\n### New\n\n" + list(new.map { $0.code + ($0.curated ? " (curated)" : "") }) + "\n" }
        if !deleted.isEmpty { out += "\n### Deleted or not payable\n\n" + list(deleted.map(deletedText)) + "\n" }
        if !contentOnly.isEmpty { out += "\n### Content only\n\n" + list(contentOnly) + "\n" }
        return out
    }

    /// One line per item: `list,code,category,status,curated`.
    var csv: String {
        var lines = ["list,code,category,status,curated"]
        lines += uncurated.map { "uncurated,\($0.code),\($0.category),," }
        lines += new.map { "new,\($0.code),\($0.category),,\($0.curated)" }
        lines += deleted.map { "deleted,\($0.code),,\($0.status ?? ""),true" }
        lines += contentOnly.map { "content_only,\($0),,,true" }
        return lines.joined(separator: "\n") + "\n"
    }

    public var json: JSONValue {
        .object([
            ("release", .string(release)),
            ("since", .string(since)),
            ("counts", .object(counts.map { ($0.0, .int($0.1)) })),
            ("uncurated", .array(uncurated.map { .object([("code", .string($0.code)), ("category", .string($0.category))]) })),
            (
                "new",
                .array(
                    new.map { .object([("code", .string($0.code)), ("category", .string($0.category)), ("curated", .bool($0.curated))]) })
            ),
            ("deleted", .array(deleted.map { .object([("code", .string($0.code)), ("status", .string($0.status))]) })),
            ("content_only", .array(contentOnly.map { .object([("code", .string($0))]) })),
        ])
    }
}
