import ArgumentParser
import RVUCatalog
import RVUCore

extension RVUImportCommand {
    /// `rvuimport search QUERY --catalog FILE`: finds codes by number, prefix or words.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find codes in a catalog by number, prefix (9921*) or words of their titles, synonyms and curated text.",
            discussion:
                "Best matches first: the code itself, codes starting with the number, then text matches by rank. Exits 74 when the catalog cannot be read."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @Argument(help: "A code, a code prefix (9921 or 9921*), or words.")
        var query: String

        @Option(help: "The catalog file.")
        var catalog: String

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @Option(help: "The most results to print.")
        var limit = 20

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let results: [SearchResult]
            do throws(DiagnosticError) {
                results = try CatalogReader(path: catalog).search(query, limit: limit)
            } catch {
                printError(error.diagnostic.description)
                throw ExitStatus.ioError
            }
            switch format {
            case .text:
                for result in results { print("\(result.code)\t\(result.category)\t\(result.title ?? "(no title)")") }
            case .json:
                let items: [JSONValue] = results.map {
                    .object([("code", .string($0.code)), ("title", .string($0.title)), ("category", .string($0.category))])
                }
                print(JSONValue.object([("query", .string(query)), ("results", .array(items))]).rendered(indent: 2))
            }
        }
    }
}
