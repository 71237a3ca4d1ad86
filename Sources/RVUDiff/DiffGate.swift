import RVUCore

/// Rules that turn a diff into a CI failure (`--fail-on`).
///
/// - `removed-curated`: a code with curated content was removed.
/// - `payment-change:N`: a national payment changed by more than N percent (either way), or
///   appeared or disappeared: its amount in a row of both catalogs, or a paid row of one only.
///   N is a finite number, at least 0.
/// - `deleted-curated`: a curated code's status changed to D (deleted) or F (deleted, no grace).
/// - `any`: any difference at all.
public enum DiffGateRule: Sendable, Equatable, CustomStringConvertible {
    case removedCurated
    case paymentChange(percent: Double)
    case deletedCurated
    case any

    /// The rules as written on the command line, for messages.
    public static let forms = ["removed-curated", "deleted-curated", "payment-change:PERCENT", "any"]

    /// Parses a rule as written on the command line.
    public init?(_ text: String) {
        switch text {
        case "removed-curated": self = .removedCurated
        case "deleted-curated": self = .deletedCurated
        case "any": self = .any
        default:
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == "payment-change", let percent = Double(parts[1]), percent.isFinite, percent >= 0
            else { return nil }
            self = .paymentChange(percent: percent)
        }
    }

    public var description: String {
        switch self {
        case .removedCurated: "removed-curated"
        case .deletedCurated: "deleted-curated"
        case .any: "any"
        case .paymentChange(let percent): "payment-change:\(DiffReport.number(percent))"
        }
    }

    /// The reasons this rule fails on a diff (empty when it passes).
    func reasons(_ diff: CatalogDiff) -> [String] {
        switch self {
        case .any:
            return diff.isEmpty ? [] : ["any: the catalogs differ"]
        case .removedCurated:
            return diff.codesRemoved.filter(\.curated).map { "removed-curated: \($0.code) was removed but has curated content" }
        case .deletedCurated:
            let curated = diff.curatedCodes
            return diff.rvuChanged.compactMap { change in
                guard let status = change.changes.first(where: { $0.field == "status" }), ["D", "F"].contains(status.new),
                    curated.contains(change.key.hcpcs)
                else { return nil }
                return "deleted-curated: \(change.key) status \(status.old) -> \(status.new) for a curated code"
            }
        case .paymentChange(let limit):
            let appeared = diff.paymentsAdded.map { payment in
                "payment-change:\(DiffReport.number(limit)): \(payment.key) \(payment.setting) none -> \(DiffReport.money(payment.new)) (a paid row appeared)"
            }
            let vanished = diff.paymentsRemoved.map { payment in
                "payment-change:\(DiffReport.number(limit)): \(payment.key) \(payment.setting) \(DiffReport.money(payment.old)) -> none (a paid row disappeared)"
            }
            return diff.payments.compactMap { payment in
                let label = "\(payment.key) \(payment.setting)"
                guard let percent = payment.percent else {
                    return
                        "payment-change:\(DiffReport.number(limit)): \(label) \(DiffReport.money(payment.old)) -> \(DiffReport.money(payment.new))"
                }
                guard abs(percent) > limit else { return nil }
                return
                    "payment-change:\(DiffReport.number(limit)): \(label) \(DiffReport.money(payment.old)) -> \(DiffReport.money(payment.new)) (\(DiffReport.percent(percent)))"
            } + appeared + vanished
        }
    }
}
