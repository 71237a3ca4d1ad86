import ArgumentParser
import Foundation
import RVUCore
import RVUHistory

extension RVUImportCommand {
    /// `rvuimport wrvu --history FILE CODE[-MOD] --on DATE`, or `--input visits.csv`: work RVUs
    /// by date of service.
    struct WRVU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wrvu",
            abstract: "Work RVU, totals and national payment in effect on a date of service, from a history (see docs/history.md).",
            discussion: """
                One code: rvuimport wrvu --history FILE 99213 --on 2025-06-15. A batch: --input visits.csv (header \
                code,modifier,date,units) writes the input's columns then work_rvu,wrvu,release_id,carried_forward,error, \
                one line per visit; totals go to standard error. Exit status: see docs/operations.md.
                """)

        enum Variant: String, ExpressibleByArgument, CaseIterable {
            case general, qpp
        }

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, csv, json
        }

        @Option(help: "The history file (rvuimport history build).")
        var history: String

        @Argument(help: "The code, with its modifier after a dash: 99213, 70450-26 (not with --input).")
        var code: String?

        @Option(help: "The date of service, YYYY-MM-DD (not with --input).")
        var on: String?

        @Option(help: "A CSV of visits with the columns code, modifier, date and units (the app's export).")
        var input: String?

        @Option(help: "The PPRRVU variant: general, or qpp (qualifying APM participants).")
        var variant: Variant = .general

        @Option(help: "Output format: text, csv or json (default: text for one code, csv for --input).")
        var format: Format?

        func validate() throws {
            if input != nil {
                guard code == nil, on == nil else { throw ValidationError("give CODE --on DATE, or --input FILE, not both") }
            } else {
                guard code != nil else { throw ValidationError("give a code and --on DATE, or --input FILE") }
                guard let on else { throw ValidationError("give the date of service with --on YYYY-MM-DD") }
                guard HistoryLookup.date(on) != nil else {
                    throw ValidationError("--on '\(on)' is not a date written YYYY-MM-DD that exists")
                }
            }
        }

        func run() throws {
            var answered = true
            do throws(DiagnosticError) {
                let lookup = try HistoryLookup(path: history)
                if let input {
                    answered = try batch(input, lookup: lookup)
                } else if let code, let on, let date = HistoryLookup.date(on) {
                    answered = try single(code, date: date, lookup: lookup)
                }
            } catch {
                printError(error.diagnostic.description)
                let inputCodes: [DiagnosticCode] = [.visitsHeader, .csvUnterminatedQuote, .csvOverlongRecord, .csvTooManyFields]
                throw inputCodes.contains(error.diagnostic.code) ? ExitStatus.inputError : ExitStatus.ioError
            }
            // The history was read; some question has no answer.
            if !answered { throw ExitStatus.inputError }
        }

        /// Prints the answer; false when there is none.
        private func single(_ text: String, date: CalendarDate, lookup: HistoryLookup) throws(DiagnosticError) -> Bool {
            let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let modifier = parts.count == 2 ? parts[1] : ""
            switch try lookup.answer(code: parts[0], modifier: modifier, variant: variant.rawValue, on: date) {
            case .failure(let reason):
                printError("\(history): error: \(reason)")
                return false
            case .success(let answer):
                switch format ?? .text {
                case .text: print(Self.text(answer), terminator: "")
                case .json: print(answer.json.rendered(indent: 2))
                case .csv:
                    guard case .object(let pairs) = answer.json else { return true }
                    print(pairs.map(\.0).joined(separator: ","))
                    print(pairs.map { Self.csvField($0.1) }.joined(separator: ","))
                }
                return true
            }
        }

        /// Prints the batch's answers, totals to standard error; false when a visit has no answer.
        private func batch(_ path: String, lookup: HistoryLookup) throws(DiagnosticError) -> Bool {
            let batch = try VisitBatch.run(path: path, lookup: lookup, variant: variant.rawValue)
            switch format ?? .csv {
            case .csv: FileHandle.standardOutput.write(Data(batch.csv.utf8))
            case .json: print(batch.json.rendered(indent: 2))
            case .text: print(batch.text, terminator: "")
            }
            let totals = batch.totals
            printError(
                "\(path): \(batch.lines.count) visits: \(totals.answered) answered, \(totals.failed) with an error; \(totals.wrvu) wRVU in all"
            )
            return totals.failed == 0
        }

        /// The text form: what applied that day, and from which release.
        static func text(_ answer: HistoryAnswer) -> String {
            let code = answer.modifier.isEmpty ? answer.code : "\(answer.code)-\(answer.modifier)"
            let until = answer.effectiveTo.map { "to \($0) (exclusive)" } ?? "on (open)"
            var lines = [
                "\(code) (\(answer.variant)) on \(answer.date): \(answer.releaseID)",
                "  values in effect from \(answer.effectiveFrom) \(until), as \(answer.periodReleaseID) published them",
            ]
            if answer.carriedForward {
                lines.append("  carried forward: no release is loaded for this quarter; these are \(answer.releaseID)'s values")
            }
            lines += [
                "  status       \(answer.status ?? "-")",
                "  work RVU     \(answer.workRVU ?? "-")",
                "  total RVUs   \(answer.nonfacilityTotal ?? "-") non-facility, \(answer.facilityTotal ?? "-") facility",
                "  payment      \(answer.nonfacilityAmount ?? "-") non-facility, \(answer.facilityAmount ?? "-") facility (national)",
            ]
            return lines.joined(separator: "\n") + "\n"
        }

        static func csvField(_ value: JSONValue) -> String {
            switch value {
            case .null: ""
            case .string(let text):
                text.contains(",") || text.contains("\"") ? "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"" : text
            default: value.rendered()
            }
        }
    }
}
