import ArgumentParser
import Foundation
import RVUCore
import RVUPipeline

extension RVUImportCommand.Curated {
    /// `rvuimport curated check [DIR] [--catalog FILE]`: the curated content alone, as on an
    /// editors' pull request.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the curated content alone: parse and validate every YAML file, no release needed.",
            discussion: """
                DIR defaults to the curated folder rvuimport.yaml names. With --catalog, a curated code that \
                catalog's release does not list is a warning (its entry stays content-only). Diagnostics go to \
                standard error (text) or, with --format json, into one JSON document on standard output. \
                Exit status: 0 no errors (warnings allowed); 1 errors; 64 usage error (also a DIR that is \
                missing or not a folder); 74 a file or the catalog cannot be read (see docs/operations.md).
                """)

        @Argument(help: "The folder of curated YAML files (default: 'curated' in the configuration file).")
        var dir: String?

        @Option(help: "A catalog: warn about curated codes its release does not list.")
        var catalog: String?

        @Option(help: "Output format: text (diagnostics on standard error, a summary line) or json (one document).")
        var format: DiagnosticsFormat = .text

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        @Option(help: "The configuration file (default: rvuimport.yaml in the working directory, when there is one).")
        var config: String?

        func run() throws {
            var configured: String?
            if dir == nil {
                do throws(DiagnosticError) {
                    configured = try Configuration.load(from: config ?? Configuration.fileName, required: config != nil).curated
                } catch {
                    printError(error.diagnostic.description)
                    throw ExitStatus.of(error.diagnostic)
                }
            }
            guard let folder = dir ?? configured else {
                throw ValidationError("no DIR given and the configuration names no 'curated' folder; pass the folder to check")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("'\(folder)' is not a folder; pass the folder of curated YAML files")
            }
            let check: CuratedCheck
            do throws(DiagnosticError) {
                check = try CuratedCheck.run(folder: folder, catalog: catalog, strict: strict)
            } catch {
                printError(error.diagnostic.description)
                throw ExitStatus.ioError
            }
            switch format {
            case .text:
                printDiagnostics(check.diagnostics, format: .text)
                print(check.summary)
            case .json: print(check.json.rendered(indent: 2))
            }
            if check.diagnostics.containsError { throw ExitStatus.inputError }
        }
    }
}
