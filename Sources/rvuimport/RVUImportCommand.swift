import ArgumentParser
import Foundation
import RVUCatalog
import RVUCore
import RVUImport
import RVUPipeline

/// `rvuimport`: imports CMS PFS relative-value releases into a versioned code catalog.
@main
struct RVUImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rvuimport",
        abstract: "Import CMS Physician Fee Schedule RVU releases into a versioned code catalog.",
        discussion: """
            Exit status: 0 success; 1 the input has errors (each printed as file:line:column: error: ...); \
            64 usage error; 69 a release could not be downloaded; 74 a file could not be read or written; \
            77 the AMA licence was not accepted. diff has its own (see rvuimport diff --help).
            """,
        version: "rvuimport \(ToolInfo.version) (catalog schema \(Schema.version))",
        subcommands: [
            Import.self, Inspect.self, Show.self, Search.self, Curated.self, Diff.self, Releases.self, Fetch.self, Pages.self, History.self,
            WRVU.self,
        ],
        defaultSubcommand: Import.self
    )
}

/// Exit codes shared by the subcommands.
enum ExitStatus {
    /// The input has errors.
    static let inputError = ExitCode(1)
    /// A file could not be read or written.
    static let ioError = ExitCode(74)
    /// A release could not be downloaded: network failure, unexpected page or response (EX_UNAVAILABLE).
    static let unavailable = ExitCode(69)
    /// CMS asks to accept a licence and the user has not opted in (EX_NOPERM).
    static let licenseNotAccepted = ExitCode(77)
    /// The release is announced but not there yet: its page answers 404 or links no zip.
    static let notAvailableYet = ExitCode(11)

    /// The exit status for an error that stopped a command.
    static func of(_ diagnostic: Diagnostic) -> ExitCode {
        switch diagnostic.code {
        case .network, .downloadFailed, .downloadNotAZip, .checksumMismatch, .cmsPageChanged, .pageUnreadable:
            unavailable
        case .licenseNotAccepted: licenseNotAccepted
        case .releaseNotAvailable: notAvailableYet
        case .cacheUnwritable, .catalogWrite, .outputNotCatalog, .fileNotFound, .unreadableFile, .configNotFound,
            .curatedNotFound:
            ioError
        default: inputError
        }
    }
}

extension ReleaseID {
    /// Parses a `--release` value. A malformed id is a usage error (exit 64) before anything is
    /// read, whose message says why and shows the accepted forms (ArgumentParser prints it after
    /// "The value 'RVU26E' is invalid for '--release <release>': ").
    static func argument(_ text: String) throws -> ReleaseID {
        do { return try ReleaseID(parsing: text) } catch { throw ReleaseIDArgumentError(reason: error.reason) }
    }
}

/// Why a `--release` value is not an id, as ArgumentParser prints it.
struct ReleaseIDArgumentError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

extension DatasetKind: ExpressibleByArgument {}

extension Verification: ExpressibleByArgument {}

/// How diagnostics are printed.
enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Prints diagnostics to standard error, one per line.
func printDiagnostics(_ diagnostics: [Diagnostic], format: DiagnosticsFormat) {
    for diagnostic in diagnostics {
        switch format {
        case .text: printError(diagnostic.description)
        case .json: printError(diagnostic.json.rendered())
        }
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    var standardError = StandardError()
    print(line, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
