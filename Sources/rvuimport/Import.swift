import ArgumentParser
import RVUCore
import RVUImport
import RVUPipeline

extension RVUImportCommand {
    /// `rvuimport [import] --release ID`: reads a release completely and reports what it found.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a release (the default subcommand).",
            discussion: """
                Finds the release in --source: a zip file; a folder of archives (RVU25D.zip, rvu25d.zip, \
                rvu25d-updated-09-15-2025.zip: the newest revision unless the id names one, e.g. RVU25DR); \
                a sub-folder named for the release; or a folder of unpacked members.
                """)

        @Option(help: "The release id, e.g. RVU26A, RVU24AR or rvu26a-updated-12-29-2025.")
        var release: ReleaseID

        @Option(help: "A release archive, a folder of archives, or a folder of unpacked members.")
        var source: String = "Samples/releases"

        @Flag(help: "Treat warnings (unknown indicator values, format variances, ...) as errors.")
        var strict = false

        @Option(help: "How to print diagnostics: text (file:line:column: severity: message) or json (one object per line).")
        var diagnosticsFormat: DiagnosticsFormat = .text

        func run() throws {
            let imported: ImportedRelease
            do throws(DiagnosticError) {
                let input = try ReleaseLocator.locate(release, in: source)
                imported = try Pipeline.importRelease(input, release: release, options: .init(strict: strict))
            } catch {
                printDiagnostics([error.diagnostic], format: diagnosticsFormat)
                throw ExitStatus.inputError
            }
            printDiagnostics(imported.diagnostics, format: diagnosticsFormat)
            print(Summary.text(imported))
            if imported.hasErrors { throw ExitStatus.inputError }
        }
    }
}
