import ArgumentParser
import Foundation
import RVUCore
import RVUHistory

extension RVUImportCommand {
    /// `rvuimport history build|add`: the effective-dated history across catalogs.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build or extend the effective-dated history of catalogs of successive releases (see docs/history.md).",
            subcommands: [Build.self, Add.self])

        /// `history build CATALOG... --output FILE`.
        struct Build: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Build a history from catalogs of successive releases, in any order.",
                discussion: "Exits 1 when the catalogs conflict, 74 when a catalog cannot be read or the history cannot be written.")

            @Argument(help: "Catalog files.")
            var catalogs: [String] = []

            @Option(name: .customLong("catalogs"), help: "A folder whose *.sqlite files are the catalogs (with or instead of CATALOG...).")
            var catalogsFolder: String?

            @Option(help: "The history file to write (replaced atomically).")
            var output: String

            @Option(help: "Override a release's effective date, as RVU24AR=2024-03-09 (repeatable).")
            var effective: [String] = []

            func run() throws {
                var paths = catalogs
                if let catalogsFolder {
                    let names: [String]
                    do { names = try FileManager.default.contentsOfDirectory(atPath: catalogsFolder) } catch {
                        printError("\(catalogsFolder): error: cannot list the catalogs folder; check the path")
                        throw ExitStatus.ioError
                    }
                    // Hidden files are a refresh's unfinished imports.
                    paths += names.filter { $0.hasSuffix(".sqlite") && !$0.hasPrefix(".") }.sorted().map { "\(catalogsFolder)/\($0)" }
                }
                guard !paths.isEmpty else { throw ValidationError("give catalogs, or --catalogs DIR") }
                try runReporting { () throws(DiagnosticError) in
                    let timeline = try HistoryBuilder.build(catalogs: paths, overrides: try overrides(effective))
                    try HistoryStore.write(timeline, to: output)
                    for line in HistoryBuilder.Report(timeline).lines { print(line) }
                }
            }
        }

        /// `history add CATALOG --history FILE`.
        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add one catalog to a history (created when missing); a catalog already there changes nothing.",
                discussion: "Exits 1 when the catalog conflicts, 74 when a file cannot be read or written.")

            @Argument(help: "The catalog file.")
            var catalog: String

            @Option(help: "The history file.")
            var history: String

            @Option(help: "Override the release's effective date, as RVU24AR=2024-03-09.")
            var effective: [String] = []

            func run() throws {
                try runReporting { () throws(DiagnosticError) in
                    let (report, outcome) = try HistoryBuilder.add(
                        catalog: catalog, history: history, overrides: try overrides(effective))
                    if outcome == .alreadyPresent { print("already in the history: nothing changed") }
                    for line in report.lines { print(line) }
                }
            }
        }
    }
}

/// Parses `--effective` values.
private func overrides(_ values: [String]) throws(DiagnosticError) -> [ReleaseID: CalendarDate] {
    var result: [ReleaseID: CalendarDate] = [:]
    for value in values {
        let (release, day) = try EffectiveDates.parseOverride(value)
        result[release] = day
    }
    return result
}

/// Runs `body`, printing a diagnostic and exiting 74 (files) or 1 (conflicts, usage) on failure.
private func runReporting(_ body: () throws(DiagnosticError) -> Void) throws {
    do throws(DiagnosticError) {
        try body()
    } catch {
        printError(error.diagnostic.description)
        switch error.diagnostic.code {
        case .historyConflict, .usage: throw ExitStatus.inputError
        default: throw ExitStatus.ioError
        }
    }
}
