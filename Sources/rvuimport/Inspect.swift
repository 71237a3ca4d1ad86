import ArgumentParser
import RVUCore
import RVUImport
import RVUPipeline
import RVUReports

extension RVUImportCommand {
    /// `rvuimport inspect PATH`: reads one dataset file or an archive and reports each dataset.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one dataset file (csv, txt, xlsx) or a whole archive and report each dataset.",
            discussion: "Exits 1 when any error was found.")

        @Argument(help: "A dataset file (PPRRVU*, GPCI*, *LOCCO*, ANES*, OPPSCAP*; .csv, .txt or .xlsx) or a release .zip.")
        var path: String

        @Option(help: "Output format: text or json.")
        var format: DiagnosticsFormat = .text

        @Option(help: "The dataset, when the file name does not say: pprrvu, gpci, locco, anes or oppscap.")
        var dataset: DatasetKind?

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        @OptionGroup(title: "Limits")
        var limits: LimitOptions

        func run() throws {
            let imported: ImportedRelease
            do throws(DiagnosticError) {
                var options = ReleaseImporter.Options(strict: strict)
                options.limits = limits.applied(to: ImportLimits())
                imported = try Pipeline.inspect(path: path, kind: dataset, options: options)
            } catch {
                switch format {
                case .text: printError(error.diagnostic.description)
                case .json:
                    print(
                        JSONValue.object([("datasets", .array([])), ("diagnostics", .array([error.diagnostic.json]))]).rendered(indent: 2))
                }
                throw ExitStatus.of(error.diagnostic)
            }
            let report = InspectReport(imported)
            switch format {
            case .text: print(report.text, terminator: "")
            case .json: print(report.json.rendered(indent: 2))
            }
            if imported.hasErrors { throw ExitStatus.inputError }
        }
    }
}
