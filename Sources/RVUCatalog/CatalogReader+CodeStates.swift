import GRDB
import RVUCore

/// What the editors' worklist needs to know of one code of a catalog.
public struct CodeState: Sendable, Equatable {
    public let code: String
    public let category: String
    /// True when the code has a curated entry (`title_source = 'curated'`: the merger sets it
    /// exactly for codes with an entry in the editors' YAML).
    public let curated: Bool
    /// The status of the code's first RVU row (no modifier first, `general` before `qpp`), or
    /// nil when the catalog has no RVU row of the code.
    public let status: String?
}

extension CatalogReader {
    /// Every code of the catalog, in code order, with its category, curated flag and status.
    public func codeStates() throws(DiagnosticError) -> [CodeState] {
        try read { db in
            try StoredValue.fetchAll(
                db,
                sql: """
                    SELECT c.code, c.category, c.title_source = 'curated' AS curated,
                        (SELECT r.status FROM rvu r WHERE r.hcpcs = c.code ORDER BY r.modifier, r.variant LIMIT 1) AS status
                    FROM code c ORDER BY c.code
                    """, label: "code"
            ).map { row in
                CodeState(
                    code: try row.decode(forColumn: "code"), category: try row.decode(forColumn: "category"),
                    curated: try row.decode(forColumn: "curated"), status: try row.decode(forColumn: "status"))
            }
        }
    }
}
