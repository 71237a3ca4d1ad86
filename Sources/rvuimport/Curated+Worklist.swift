import ArgumentParser
import RVUCatalog
import RVUCore
import RVUReports

extension Worklist.Format: ExpressibleByArgument {}

extension RVUImportCommand.Curated {
    /// `rvuimport curated worklist --catalog NEW [--since OLD]`: what editors must do for a release.
    struct Worklist: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List what editors must do for a release: uncurated, new, deleted and content-only codes.",
            discussion: "Computed from the catalogs alone. Exits 74 when a catalog cannot be read.")

        @Option(help: "The release's catalog.")
        var catalog: String

        @Option(help: "The previous release's catalog, to list the codes new since it and those it had that are gone.")
        var since: String?

        @Option(help: "Output format: text, markdown (for a pull-request comment), csv or json.")
        var format: RVUReports.Worklist.Format = .text

        @Option(help: "At most this many codes per list in the markdown form.")
        var maxCodes = 50

        func validate() throws {
            guard maxCodes > 0 else { throw ValidationError("--max-codes must be at least 1") }
        }

        func run() throws {
            let worklist: RVUReports.Worklist
            do throws(DiagnosticError) {
                let new = try CatalogReader(path: catalog)
                let old = try since.map { path throws(DiagnosticError) in try CatalogReader(path: path) }
                worklist = RVUReports.Worklist(
                    release: try new.meta()["release_id"] ?? "", codes: try new.codeStates(),
                    since: try old?.meta()["release_id"], old: try old?.codeStates())
            } catch {
                printError(error.diagnostic.description)
                throw ExitStatus.ioError
            }
            print(worklist.render(format, maximumCodes: maxCodes), terminator: "")
        }
    }
}
