import ArgumentParser
import RVUCatalog
import RVUCore
import RVUHistory
import RVUReports

extension CodePageRenderer.Format: ExpressibleByArgument {}

extension RVUImportCommand {
    /// `rvuimport show CODE --catalog FILE`: what the app's page shows for a code.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what the app's page for a code would show, from a catalog alone.",
            discussion: "Exits 1 when the code is not in the catalog, 74 when the catalog or the history cannot be read.")

        @Argument(help: "The HCPCS code, e.g. 99213 or D0386.")
        var code: String

        @Option(help: "The catalog file.")
        var catalog: String

        @Option(help: "Output format: text, markdown, json or html (the preview site's page, see pages).")
        var format: CodePageRenderer.Format = .text

        @Option(help: "A history file (rvuimport history build): adds the code's work RVU, total RVUs and national payment per period.")
        var history: String?

        func run() throws {
            let page: CodePage?
            var trend: CodePageHistory?
            do throws(DiagnosticError) {
                page = try CatalogReader(path: catalog).page(for: code.uppercased())
                if let history, page != nil { trend = CodePageHistory(rows: try HistoryLookup(path: history).trend(of: code)) }
            } catch {
                printError(error.diagnostic.description)
                throw ExitStatus.ioError
            }
            guard let page else {
                printError("\(catalog): error: code \(code.uppercased()) is not in this catalog")
                throw ExitStatus.inputError
            }
            print(CodePageRenderer.render(page, format: format, history: trend), terminator: "")
        }
    }
}
