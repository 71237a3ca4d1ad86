import GRDB
import RVUCore

/// What a scaffold needs to know of one code of a catalog.
public struct CodeTitle: Sendable, Equatable {
    public let code: String
    /// The catalog's title (curated, CMS's, or nil).
    public let title: String?
    /// `curated`, `cms` or `none`.
    public let titleSource: String
    /// True when the catalog has RVU rows of the code (false for a content-only entry).
    public let inRelease: Bool
}

extension CatalogReader {
    /// Every code of the catalog with its title, where the title came from, and whether the
    /// release lists it, by code.
    public func codeTitles() throws(DiagnosticError) -> [String: CodeTitle] {
        let titles = try read { db in
            try StoredValue.fetchAll(
                db,
                sql: """
                    SELECT c.code, c.title, c.title_source, EXISTS (SELECT 1 FROM rvu r WHERE r.hcpcs = c.code) AS in_release
                    FROM code c ORDER BY c.code
                    """, label: "code"
            ).map { row in
                CodeTitle(
                    code: try row.decode(forColumn: "code"), title: try row.decode(forColumn: "title"),
                    titleSource: try row.decode(forColumn: "title_source"), inRelease: try row.decode(forColumn: "in_release"))
            }
        }
        var byCode: [String: CodeTitle] = [:]
        for title in titles { byCode[title.code] = title }
        return byCode
    }
}
