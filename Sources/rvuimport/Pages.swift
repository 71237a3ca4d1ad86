import ArgumentParser
import RVUCatalog
import RVUCore
import RVUReports

extension RVUImportCommand {
    /// `rvuimport pages --catalog FILE --output DIR [--compare OLD]`: the static preview site.
    struct Pages: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a static preview site of a catalog: a page per code, an index and a search page.",
            discussion: """
                Exits 1 when the catalog holds a code that cannot be a file name, 74 when a catalog cannot be read \
                or the site cannot be written (the output is a file, or a folder that is not a preview site).
                """)

        @Option(help: "The catalog file.")
        var catalog: String

        @Option(help: "The site's folder: created, or replaced when it holds a site written before.")
        var output: String

        @Option(help: "An older catalog: each page shows what changed since it, and the index lists changed codes first.")
        var compare: String?

        func run() throws {
            do throws(DiagnosticError) {
                let site = try PreviewSite.build(
                    catalog: try CatalogReader(path: catalog),
                    compare: try compare.map { path throws(DiagnosticError) in try CatalogReader(path: path) })
                try site.write(to: output)
            } catch {
                printError(error.diagnostic.description)
                throw error.diagnostic.code == .unsafeCode ? ExitStatus.inputError : ExitStatus.ioError
            }
        }
    }
}
