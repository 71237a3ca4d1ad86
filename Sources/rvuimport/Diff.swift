import ArgumentParser
import Foundation
import RVUCatalog
import RVUCore
import RVUDiff

extension CatalogDiff.Filter.Kind: ExpressibleByArgument {}

extension DiffGateRule: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
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
                tool_version and catalog_version are not compared.
                """)

        @Argument(help: "The old catalog (the one in production).")
        var old: String

        @Argument(help: "The new catalog.")
        var new: String

        @Option(help: "Output format: text, markdown (a pull-request comment) or json.")
        var format: Format = .text

        @Option(help: "Keep only added, removed or changed entries (repeatable).")
        var only: [CatalogDiff.Filter.Kind] = []

        @Option(help: "Keep only changes of this field, e.g. work_rvu, status, title, nonfacility_amount (repeatable).")
        var field: [String] = []

        @Option(help: "Keep only RVU rows and payments of this variant: general or qpp.")
        var variant: String?

        @Option(help: "Keep only codes matching this pattern (* and ? wildcards, e.g. '99*').")
        var code: String?

        @Option(
            name: .customLong("fail-on"),
            help: "A gate rule (repeatable): removed-curated, deleted-curated, payment-change:PERCENT, any.")
        var failOn: [DiffGateRule] = []

        func validate() throws {
            if let variant, !["general", "qpp"].contains(variant) {
                throw ValidationError("--variant must be general or qpp")
            }
        }

        func run() throws {
            let diff: CatalogDiff
            do throws(DiagnosticError) {
                diff = try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: new))
            } catch {
                printError(error.diagnostic.description)
                throw ExitCode(2)
            }
            let filtered = diff.filtered(.init(only: Set(only), fields: Set(field), variant: variant, codePattern: code))
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
