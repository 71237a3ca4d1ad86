import Foundation
import RVUCore
import RVUHistory

/// A code's RVUs and national payment per period, from a history file, for `show --history`:
/// every period of each of its RVU rows (modifier, variant), oldest first.
public struct CodePageHistory: Sendable {
    public let rows: [(key: RVUKey, periods: [HistoryLookup.StoredPeriod])]

    public init(rows: [(key: RVUKey, periods: [HistoryLookup.StoredPeriod])]) {
        self.rows = rows
    }

    /// The section of the text or markdown page: a table per RVU row.
    func lines(code: String, markdown: Bool) -> [String] {
        var out = [markdown ? "\n## RVUs and national payment by period (history)" : "\nRVUS AND NATIONAL PAYMENT BY PERIOD (HISTORY)"]
        if rows.isEmpty { out.append("The history has no period of \(code).") }
        let header = [
            "From", "To", "Release", "Work RVU", "Total RVUs (non-facility, facility)", "National payment (non-facility, facility)",
        ]
        for row in rows {
            let label =
                "\(row.key.modifier.isEmpty ? "global" : "modifier \(row.key.modifier)")\(row.key.variant == "qpp" ? ", qualifying APM participants" : "")"
            out.append(markdown ? "\n### \(code) \(label)" : "\n\(code) \(label)")
            let cells = row.periods.map { period in
                [
                    period.from.description, period.to?.description ?? "open", period.release, period.value("work_rvu") ?? "-",
                    "\(period.value("nonfacility_total") ?? "-"), \(period.value("facility_total") ?? "-")",
                    "\(Self.money(period.value("nonfacility_amount"))), \(Self.money(period.value("facility_amount")))",
                ]
            }
            if markdown {
                out.append("| " + header.joined(separator: " | ") + " |")
                out.append("|---|---|---|---:|---:|---:|")
                for line in cells { out.append("| " + line.joined(separator: " | ") + " |") }
            } else {
                let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
                for line in [header] + cells {
                    let padded = line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    out.append(padded.joined(separator: "  ").trimmingTrailingSpaces)
                }
            }
        }
        return out
    }

    static func money(_ text: String?) -> String { text.map { "$\($0)" } ?? "n/a" }

    /// The JSON `history` array: one object per period (the app draws the trend from it).
    var json: JSONValue {
        .array(
            rows.flatMap { row in
                row.periods.map { period in
                    func decimal(_ column: String) -> JSONValue { period.value(column).map { .number($0) } ?? .null }
                    return .object([
                        ("modifier", .string(row.key.modifier)),
                        ("variant", .string(row.key.variant)),
                        ("effective_from", .string(period.from.description)),
                        ("effective_to", .string(period.to?.description)),
                        ("release_id", .string(period.release)),
                        ("status", .string(period.value("status"))),
                        ("work_rvu", decimal("work_rvu")),
                        ("nonfacility_total", decimal("nonfacility_total")),
                        ("facility_total", decimal("facility_total")),
                        ("nonfacility_amount", decimal("nonfacility_amount")),
                        ("facility_amount", decimal("facility_amount")),
                    ])
                }
            })
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
