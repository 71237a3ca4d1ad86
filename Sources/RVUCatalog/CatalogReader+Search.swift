import GRDB
import RVUCore

/// One code a search found.
public struct SearchResult: Sendable, Equatable {
    public let code: String
    public let title: String?
    public let category: String
}

extension CatalogReader {
    /// The codes matching `query`, best first: the code equal to the query, then codes whose number
    /// starts with it (`9921`, `9921*`) in code order, then codes whose title, synonyms or curated
    /// text hold every word of the query, by FTS5's bm25 rank. Words are quoted before they reach
    /// FTS5, so no input (`"`, `AND(`, `-`) is read as query syntax; a last word ending in `*` is
    /// a prefix.
    public func search(_ query: String, limit: Int = 20) throws(DiagnosticError) -> [SearchResult] {
        let words = query.split(whereSeparator: \.isWhitespace).map(String.init)
        let terms = words.compactMap(Self.ftsTerm)
        guard !terms.isEmpty, limit > 0 else { return [] }
        return try read { db in
            var results: [SearchResult] = []
            var seen = Set<String>()
            func add(_ sql: String, _ arguments: StatementArguments) throws {
                for row in try StoredValue.fetchAll(db, sql: sql, arguments: arguments, label: "code_search")
                where results.count < limit {
                    let code: String = try row.decode(forColumn: "code")
                    guard seen.insert(code).inserted else { continue }
                    results.append(
                        SearchResult(code: code, title: try row.decode(forColumn: "title"), category: try row.decode(forColumn: "category"))
                    )
                }
            }
            let select = "SELECT c.code, c.title, c.category FROM code_search s JOIN code c ON c.rowid = s.rowid"
            if words.count == 1, let number = Self.codePrefix(words[0]) {
                try add(select + " WHERE code_search MATCH ? AND c.code = ?", ["code : \"\(number)\"", number.uppercased()])
                try add(select + " WHERE code_search MATCH ? ORDER BY c.code LIMIT ?", ["code : \"\(number)\"*", limit])
            }
            guard results.count < limit else { return results }
            let text = "{title synonyms description plain_language clinical_context} : (" + terms.joined(separator: " AND ") + ")"
            try add(select + " WHERE code_search MATCH ? ORDER BY bm25(code_search), c.code LIMIT ?", [text, limit + results.count])
            return results
        }
    }

    /// A word as an FTS5 string (`"` doubled), with `*` kept outside when it ends the word; nil
    /// for a word with no letter or digit (FTS5's tokenizer would find nothing in it).
    static func ftsTerm(_ word: String) -> String? {
        let prefix = word.count > 1 && word.hasSuffix("*")
        let body = prefix ? String(word.dropLast()) : word
        guard body.unicodeScalars.contains(where: { $0.properties.isAlphabetic || ("0"..."9").contains($0) }) else { return nil }
        return "\"" + body.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix ? "*" : "")
    }

    /// The code or code prefix a word names (`99213`, `9921*`, `d03`), or nil: letters and digits
    /// only, at most five, at least one digit.
    static func codePrefix(_ word: String) -> String? {
        let body = word.hasSuffix("*") ? String(word.dropLast()) : word
        guard (1...5).contains(body.count), body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            body.contains(where: \.isNumber)
        else { return nil }
        return body
    }
}
