import ArgumentParser
import Foundation
import RVUCatalog
import RVUCore
import RVUDiff

extension CatalogDiff.Filter.Kind: ExpressibleByArgument {}

extension DiffGateRule: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    /// Listed by the usage error for a rule that is not one.
    public static var allValueStrings: [String] { forms }
}

extension RVUImportCommand {
    /// `rvuimport diff OLD NEW`: what changed between two catalogs, for people and for CI.
    struct Diff: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

        static let configuration = CommandConfiguration(
            abstract: "Compare two catalogs: codes, RVU rows, payments, localities and curated content.",
            discussion: """
                Exit status, like diff(1): 0 the catalogs hold the same data; 1 they differ; 2 a catalog cannot be \
                read or is not a catalog; 3 a --fail-on rule failed (the reasons are printed); 64 usage error. \
                tool_version and catalog_version are not compared. Filters apply before the rules, and the report says \
                what they left out.
                """)

        @Argument(help: "The old catalog (the one in production).")
        var old: String

        @Argument(help: "The new catalog.")
        var new: String

        @Option(help: "Output format: text, markdown (a pull-request comment) or json.")
        var format: Format = .text

        @Option(help: "Keep only added, removed or changed entries (repeatable).")
        var only: [CatalogDiff.Filter.Kind] = []

        @Option(
            help: """
                Keep only changes of this field, e.g. work_rvu, status, title, synonyms, nonfacility_amount (repeatable); \
                added and removed entries are left out. A name that is not a field is a usage error that lists them.
                """)
        var field: [String] = []

        @Option(
            help: """
                Keep only RVU rows and payments of this variant: general or qpp. Codes, localities, metadata and the \
                other tables are kept whole.
                """)
        var variant: String?

        @Option(
            help: """
                Keep only codes, RVU rows, payments and OPPS caps of codes matching this pattern (* and ? wildcards, \
                e.g. '99*'); localities, metadata, the county crosswalk and categories are left out.
                """)
        var code: String?

        @Option(
            name: .customLong("fail-on"),
            help: "A gate rule (repeatable); PERCENT is a number, at least 0 (see docs/diff-in-ci.md).")
        var failOn: [DiffGateRule] = []

        var filter: CatalogDiff.Filter { .init(only: Set(only), fields: Set(field), variant: variant, codePattern: code) }

        func validate() throws {
            let problems = filter.problems
            if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
        }

        func run() throws {
            let diff: CatalogDiff
            do throws(DiagnosticError) {
                diff = try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: new))
            } catch {
                printError(error.diagnostic.description)
                throw ExitCode(2)
            }
            let filtered = diff.filtered(filter)
            let report = DiffReport(diff: filtered, rules: failOn)
            switch format {
            case .text: print(report.text, terminator: "")
            case .markdown: print(report.markdown, terminator: "")
            case .json: print(report.json.rendered(indent: 2))
            }
            if !report.gateFailures.isEmpty {
                for reason in report.gateFailures { printError("gate: \(reason)") }
                throw ExitCode(3)
            }
            if !filtered.isEmpty { throw ExitCode(1) }
        }
    }
}
