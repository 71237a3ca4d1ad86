import RVUCore

extension CatalogDiff {
    /// What changed on each code's page, one line a change in words (`Work RVU, 99213
    /// global: 1.30 → 1.40`), for the preview site's `--compare`; codes added are in `added`.
    public func pageChanges() -> (added: Set<String>, lines: [String: [String]]) {
        var lines: [String: [String]] = [:]
        func label(_ key: RVUKey) -> String {
            (key.modifier.isEmpty ? "global" : "modifier \(key.modifier)") + (key.variant == "qpp" ? ", qualifying APM participants" : "")
        }
        for change in codesChanged {
            for field in change.changes {
                lines[change.code, default: []].append("\(field.field) changed: \(field.old) → \(field.new)")
            }
        }
        for entry in rvuAdded { lines[entry.key.hcpcs, default: []].append("RVU row added: \(label(entry.key)), status \(entry.status)") }
        for entry in rvuRemoved {
            lines[entry.key.hcpcs, default: []].append("RVU row removed: \(label(entry.key)), status \(entry.status)")
        }
        for change in rvuChanged {
            for field in change.changes {
                lines[change.key.hcpcs, default: []].append("\(field.field), \(label(change.key)): \(field.old) → \(field.new)")
            }
        }
        for payment in payments + paymentsAdded + paymentsRemoved {
            lines[payment.key.hcpcs, default: []].append(
                "national \(payment.setting) payment, \(label(payment.key)): \(payment.old.map { "$\($0)" } ?? "none") → \(payment.new.map { "$\($0)" } ?? "none")"
            )
        }
        return (Set(codesAdded.map(\.code)), lines)
    }

    /// The older catalog's release id.
    public var fromReleaseID: String { from.releaseID }
}
