import ArgumentParser
import RVUCatalog
import RVUCore
import RVUPipeline
import RVUReports

extension RVUImportCommand.Curated {
    /// `rvuimport curated scaffold (CODE... | --worklist FILE) [--catalog FILE] [--output FILE]`:
    /// YAML stubs for editors to fill.
    struct Scaffold: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write YAML stubs for codes to curate: every required key with the placeholder TODO.",
            discussion: """
                The stubs are in code order, each code once; check reports every TODO left as an error. With \
                --catalog, a HCPCS Level II code's public CMS descriptor is written as a comment (never CPT or \
                CDT text), and codes the release does not list or has curated already are warnings. Exit \
                status: 0 written (warnings allowed); 1 a code from --worklist is malformed or the file is not \
                a worklist; 64 usage error (also a malformed CODE); 74 a file cannot be read or written (see \
                docs/operations.md).
                """)

        @Argument(help: "The codes to write stubs for, e.g. 99213 D0386 G0105.")
        var codes: [String] = []

        @Option(help: "A worklist's JSON (rvuimport curated worklist --format json): stubs for its uncurated codes.")
        var worklist: String?

        @Option(help: "The release's catalog: HCPCS Level II descriptors as hints, and warnings for codes it does not list.")
        var catalog: String?

        @Option(help: "The file to write (atomically; default: standard output).")
        var output: String?

        @Flag(help: "Replace a file at --output.")
        var force = false

        func validate() throws {
            guard codes.isEmpty != (worklist == nil) else {
                throw ValidationError("give either codes or --worklist FILE")
            }
            if let problem = codes.lazy.compactMap(CuratedScaffold.problem(with:)).first {
                throw ValidationError(problem)
            }
        }

        func run() throws {
            let scaffold: CuratedScaffold
            do throws(DiagnosticError) {
                var wanted = codes
                if let worklist {
                    wanted = try RVUReports.Worklist.codesToWrite(fromJSON: try Pipeline.readFile(worklist), name: worklist)
                }
                var titles: [String: CodeTitle]?
                var release: String?
                if let catalog {
                    let reader = try CatalogReader(path: catalog)
                    titles = try reader.codeTitles()
                    release = try reader.meta()["release_id"]
                }
                scaffold = CuratedScaffold(codes: wanted, source: worklist, catalog: titles, release: release)
            } catch {
                printError(error.diagnostic.description)
                throw error.diagnostic.code == .worklistJson ? ExitStatus.inputError : ExitStatus.ioError
            }
            printDiagnostics(scaffold.diagnostics, format: .text)
            guard !scaffold.diagnostics.containsError else { throw ExitStatus.inputError }
            guard let output else {
                print(scaffold.yaml, terminator: "")
                return
            }
            do throws(DiagnosticError) {
                try Pipeline.writeText(scaffold.yaml, to: output, replacing: force)
            } catch {
                printError(error.diagnostic.description)
                throw ExitStatus.ioError
            }
        }
    }
}
