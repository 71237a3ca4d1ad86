import GRDB
import RVUCore

/// What the editors' worklist needs to know of one code of a catalog.
public struct CodeState: Sendable, Equatable {
    public let code: String
    public let category: String
    /// True when the code has a curated entry (`title_source = 'curated'`: the merger sets it
    /// exactly for codes with an entry in the editors' YAML).
    public let curated: Bool
    /// The status of each of the code's RVU rows, each once, in row order (no modifier first,
    /// `general` before `qpp`); empty when the catalog has no RVU row of the code. A code's rows
    /// can differ: a lab test's global row is `X` (not paid under the PFS) while its
    /// professional component (`-26`) is `A`.
    public let statuses: [String]

    /// The status of the code's first RVU row, or nil when the catalog has none.
    public var status: String? { statuses.first }

    public init(code: String, category: String, curated: Bool, statuses: [String]) {
        self.code = code
        self.category = category
        self.curated = curated
        self.statuses = statuses
    }
}

extension CatalogReader {
    /// Every code of the catalog, in code order, with its category, curated flag and statuses.
    public func codeStates() throws(DiagnosticError) -> [CodeState] {
        try read { db in
            try StoredValue.fetchAll(
                db,
                sql: """
                    SELECT c.code, c.category, c.title_source = 'curated' AS curated,
                        (SELECT group_concat(s.status, ',') FROM
                            (SELECT r.status FROM rvu r WHERE r.hcpcs = c.code ORDER BY r.modifier, r.variant) s) AS statuses
                    FROM code c ORDER BY c.code
                    """, label: "code"
            ).map { row in
                let listed: String? = try row.decode(forColumn: "statuses")
                var statuses: [String] = []
                for status in listed?.split(separator: ",", omittingEmptySubsequences: false) ?? [] where !statuses.contains(String(status))
                {
                    statuses.append(String(status))
                }
                return CodeState(
                    code: try row.decode(forColumn: "code"), category: try row.decode(forColumn: "category"),
                    curated: try row.decode(forColumn: "curated"), statuses: statuses)
            }
        }
    }
}
