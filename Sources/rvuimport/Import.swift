import ArgumentParser
import Foundation
import RVUCore
import RVUImport
import RVUMerge
import RVUPipeline
import RVUReports

extension RVUImportCommand {
    /// `rvuimport [import] --release ID`: imports a release and writes its catalog.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a release and write its catalog.",
            discussion: """
                Defaults for --source, --curated, --output and --strict come from rvuimport.yaml in the \
                working directory. The release is found in --source: a zip file; a folder of archives \
                (RVU25D.zip, rvu25d.zip, rvu25d-updated-09-15-2025.zip: the newest revision unless the id \
                names one, e.g. RVU25DR); a sub-folder named for the release; or a folder of unpacked \
                members. When the release is not in the default source (no --source given), it comes from \
                the download cache, else from the pinned manifest, else from the CMS page (--cms-url skips \
                the manifest; --offline stops at the cache). Nothing is written when the input has errors.

                Exit status: 0 success; 1 the input has errors, or the release is not offered (or not cached \
                with --offline); 11 the release is not available yet (its page answers 404 or links no zip); \
                64 usage error; 69 the release could not be downloaded (network failure after \
                retries, an unexpected page, a response that is not the zip, a checksum mismatch); 74 a file \
                could not be read or written; 77 CMS asks to accept the AMA licence and --accept-ama-license \
                was not given.
                """)

        @Option(help: "The release id, e.g. RVU26A, RVU24AR or rvu26a-updated-12-29-2025.", transform: ReleaseID.argument)
        var release: ReleaseID

        @Option(help: "A release archive, a folder of archives, or a folder of unpacked members.")
        var source: String?

        @Option(help: "The folder of curated YAML content.")
        var curated: String?

        @Option(help: "The catalog file to write ({release} is replaced by the release id).")
        var output: String?

        @Flag(help: "Treat warnings (unknown indicator values, format variances, ...) as errors.")
        var strict = false

        @Option(
            help: ArgumentHelp(
                "Which formats to parse and cross-check against the authoritative CSV: csv (none), txt (the fixed-width files) or all (also the XLSX workbooks).",
                valueName: "csv|txt|all"))
        var verify: Verification?

        @Option(help: "How to print diagnostics: text (file:line:column: severity: message) or json (one object per line).")
        var diagnosticsFormat: DiagnosticsFormat = .text

        @Option(help: "The configuration file (default: rvuimport.yaml in the working directory, when there is one).")
        var config: String?

        @Flag(help: "Replace a file at --output even when it is not a catalog.")
        var force = false

        @Flag(
            help:
                "Keep CMS's CPT and CDT descriptors and title uncurated codes with them (only under the AMA's and ADA's distribution licences; also 'descriptors: licensed' in the configuration file)."
        )
        var licensedDescriptors = false

        @OptionGroup(title: "Getting the release from CMS")
        var fetch: FetchArguments

        @OptionGroup(title: "Limits (also settings of the same name in the configuration file)")
        var limits: LimitOptions

        func run() throws {
            // A file-size limit (ulimit -f) then fails the write with an error, reported as one,
            // instead of killing the process.
            signal(SIGXFSZ, SIG_IGN)
            let result: Pipeline.RunResult
            do throws(DiagnosticError) {
                let defaults = try Configuration.load(from: config ?? Configuration.fileName, required: config != nil)
                let options = Pipeline.RunOptions(
                    source: source ?? defaults.source, curated: curated ?? defaults.curated,
                    output: (output ?? defaults.output).replacingOccurrences(of: "{release}", with: release.shortName),
                    strict: strict || defaults.strict,
                    // An explicit --source is the only place searched.
                    fetch: source == nil ? try fetch.options(defaults) : nil, limits: limits.applied(to: defaults.limits),
                    verify: verify ?? defaults.verify, force: force,
                    descriptors: licensedDescriptors ? .licensed : defaults.descriptors)
                result = try Pipeline.run(release: release, options: options)
            } catch {
                printDiagnostics([error.diagnostic], format: diagnosticsFormat)
                throw ExitStatus.of(error.diagnostic)
            }
            printDiagnostics(result.diagnostics, format: diagnosticsFormat)
            print(Summary.text(result.imported, diagnostics: result.diagnostics, catalog: result.catalog, written: result.written))
            if result.diagnostics.containsError { throw ExitStatus.inputError }
        }
    }
}
