import RVUCore

/// Renders a catalog diff as text, Markdown (a pull-request comment of at most 65,536 characters)
/// or JSON (documented in the README, stable key order).
public struct DiffReport: Sendable {
    let diff: CatalogDiff
    /// Reasons the gate failed (empty when it passed or no rule was given).
    public let gateFailures: [String]
    let rules: [DiffGateRule]

    /// The largest comment a pull request accepts.
    static let markdownLimit = 65_536

    public init(diff: CatalogDiff, rules: [DiffGateRule] = []) {
        self.diff = diff
        self.rules = rules
        gateFailures = rules.flatMap { $0.reasons(diff) }
    }

    // MARK: Formatting helpers

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func money(_ value: ExactDecimal?) -> String {
        guard let value else { return "none" }
        return value < .zero ? "-$\(ExactDecimal(units: -value.units, scale: value.scale))" : "$\(value)"
    }

    static func signedMoney(_ value: ExactDecimal?) -> String {
        guard let value else { return "n/a" }
        return value < .zero ? "-$\(ExactDecimal(units: -value.units, scale: value.scale))" : "+$\(value)"
    }

    /// A percentage rounded to two places, without sign or `%` (`3.26`, `-1.5`).
    static func plainPercent(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return ExactDecimal(String(rounded), allowExponent: true)?.rounded(toScale: 2).description ?? String(rounded)
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        let rounded = (value * 100).rounded() / 100
        let text = ExactDecimal(String(rounded), allowExponent: true)?.rounded(toScale: 2).description ?? String(rounded)
        return (rounded >= 0 ? "+" : "") + text + "%"
    }

    /// Payment changes, largest percentage first (appearing or vanishing amounts first of all).
    var largestPayments: [CatalogDiff.PaymentChange] {
        diff.payments.sorted { lhs, rhs in
            let left = lhs.percent.map(abs) ?? .infinity
            let right = rhs.percent.map(abs) ?? .infinity
            if left != right { return left > right }
            return (lhs.key, lhs.setting) < (rhs.key, rhs.setting)
        }
    }

    /// Counts for the summary, in display order.
    var summaryRows: [(String, Int, Int, Int)] {
        var rows: [(String, Int, Int, Int)] = [
            ("codes", diff.codesAdded.count, diff.codesRemoved.count, diff.codesChanged.count),
            ("rvu rows", diff.rvuAdded.count, diff.rvuRemoved.count, diff.rvuChanged.count),
            ("national payments", diff.paymentsAdded.count, diff.paymentsRemoved.count, diff.payments.count),
            ("localities", diff.localitiesAdded.count, diff.localitiesRemoved.count, diff.localitiesChanged.count),
            ("metadata", 0, 0, diff.metadata.count),
        ]
        for table in ["opps_cap", "locality_county", "category"] {
            let changes = diff.otherChanges.filter { $0.table == table }
            let added = changes.filter { $0.kind == "added" }.count
            let removed = changes.filter { $0.kind == "removed" }.count
            let changed = changes.filter { $0.kind == "changed" }.count
            rows.append((table.replacingOccurrences(of: "_", with: " "), added, removed, changed))
        }
        return rows
    }

    /// The change of the licensed-descriptors setting (`catalog_meta.descriptors`), when the two
    /// catalogs were built differently: a headline in every format, as it changes the titles of
    /// every uncurated CPT and dental code.
    var descriptorsChange: CatalogDiff.FieldChange? { diff.metadata.first { $0.field == "descriptors" } }

    /// What a change of the setting means, in words.
    static func descriptorsText(_ change: CatalogDiff.FieldChange) -> String {
        let meaning =
            change.new == "licensed"
            ? "CMS's CPT and CDT descriptors are now kept and title the codes without a curated title"
            : change.old == "licensed"
                ? "CMS's CPT and CDT descriptors are no longer kept" : "the way CPT and CDT descriptors are handled changed"
        return "descriptors: \(change.old) -> \(change.new) (\(meaning))"
    }

    // MARK: Text

    public var text: String {
        var lines: [String] = []
        lines.append("\(diff.from.releaseID) (\(diff.from.catalogVersion)) -> \(diff.to.releaseID) (\(diff.to.catalogVersion))")
        if let change = descriptorsChange { lines.append(Self.descriptorsText(change)) }
        if diff.isEmpty {
            lines.append(diff.filterNote == nil ? "no differences" : "no differences that the filters keep")
        } else {
            for (name, added, removed, changed) in summaryRows where added + removed + changed > 0 {
                lines.append("\(name): \(added) added, \(removed) removed, \(changed) changed")
            }
        }
        if let note = diff.filterNote { lines.append(Self.filterText(note)) }
        for change in diff.metadata { lines.append("metadata \(change.field): \(change.old) -> \(change.new)") }
        for code in diff.codesAdded { lines.append("+ code \(code.code) \(code.category)\(code.curated ? " (curated)" : "")") }
        for code in diff.codesRemoved { lines.append("- code \(code.code) \(code.category)\(code.curated ? " (curated)" : "")") }
        for code in diff.codesChanged {
            for change in code.changes { lines.append("~ code \(code.code) \(change.field): \(change.old) -> \(change.new)") }
        }
        for row in diff.rvuAdded { lines.append("+ rvu \(row.key) status \(row.status)") }
        for row in diff.rvuRemoved { lines.append("- rvu \(row.key) status \(row.status)") }
        for row in diff.rvuChanged {
            for change in row.changes { lines.append("~ rvu \(row.key) \(change.field): \(change.old) -> \(change.new)") }
        }
        for payment in diff.payments {
            lines.append(
                "~ payment \(payment.key) \(payment.setting): \(Self.money(payment.old)) -> \(Self.money(payment.new)) (\(Self.signedMoney(payment.dollars)), \(Self.percent(payment.percent)))"
            )
        }
        for locality in diff.localitiesAdded { lines.append("+ locality \(locality.mac)/\(locality.locality) \(locality.name)") }
        for locality in diff.localitiesRemoved { lines.append("- locality \(locality.mac)/\(locality.locality) \(locality.name)") }
        for locality in diff.localitiesChanged {
            for change in locality.changes {
                lines.append("~ locality \(locality.mac)/\(locality.locality) \(change.field): \(change.old) -> \(change.new)")
            }
        }
        for change in diff.otherChanges {
            let mark = change.kind == "added" ? "+" : change.kind == "removed" ? "-" : "~"
            if change.changes.isEmpty {
                lines.append("\(mark) \(change.table) \(change.key)")
            } else {
                for field in change.changes {
                    lines.append("\(mark) \(change.table) \(change.key) \(field.field): \(field.old) -> \(field.new)")
                }
            }
        }
        lines += gateLines
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the filters applied and left out, as one line.
    static func filterText(_ note: CatalogDiff.FilterNote) -> String {
        "filtered: \(note.filters.joined(separator: ", ")); \(note.leftOut) change\(note.leftOut == 1 ? "" : "s") left out"
    }

    /// ` on the filtered diff, N changes left out` after a passed gate, when filters left some out.
    var leftOutText: String {
        guard let note = diff.filterNote, note.leftOut > 0 else { return "" }
        return " on the filtered diff, \(note.leftOut) change\(note.leftOut == 1 ? "" : "s") left out"
    }

    var gateLines: [String] {
        guard !rules.isEmpty else { return [] }
        if gateFailures.isEmpty { return ["gate passed (\(rules.map(\.description).joined(separator: ", ")))\(leftOutText)"] }
        return ["gate failed:"] + gateFailures.map { "  \($0)" }
    }

    // MARK: Markdown

    /// Summary table, largest payment changes, then details in collapsible sections, cut to fit
    /// ``markdownLimit`` (the JSON keeps everything).
    public var markdown: String {
        var head = "## Catalog diff: \(diff.from.releaseID) → \(diff.to.releaseID)\n\n"
        head += "`\(diff.from.catalogVersion)` → `\(diff.to.catalogVersion)`\n\n"
        if let change = descriptorsChange { head += "**\(escape(Self.descriptorsText(change)))**\n\n" }
        if !rules.isEmpty {
            head +=
                gateFailures.isEmpty
                ? "**Gate passed** (\(rules.map { "`\($0)`" }.joined(separator: ", ")))\(leftOutText)\n\n"
                : "**Gate failed**:\n\n" + gateFailures.prefix(20).map { "- \(escape($0))\n" }.joined()
                    + (gateFailures.count > 20 ? "- … and \(gateFailures.count - 20) more\n" : "") + "\n"
        }
        if let note = diff.filterNote { head += "_\(escape(Self.filterText(note)))_\n\n" }
        if diff.isEmpty {
            return head + (diff.filterNote == nil ? "No differences.\n" : "No differences that the filters keep.\n")
        }
        head += "| | added | removed | changed |\n|---|---:|---:|---:|\n"
        for (name, added, removed, changed) in summaryRows {
            head += "| \(name) | \(added) | \(removed) | \(changed) |\n"
        }
        head += "\n"
        let payments = largestPayments.prefix(20)
        if !payments.isEmpty {
            head += "### Largest payment changes\n\n| code | setting | old | new | change |\n|---|---|---:|---:|---:|\n"
            for payment in payments {
                head +=
                    "| \(payment.key) | \(payment.setting) | \(Self.money(payment.old)) | \(Self.money(payment.new)) | \(Self.signedMoney(payment.dollars)) (\(Self.percent(payment.percent))) |\n"
            }
            head += "\n"
        }
        var sections: [(String, [String])] = []
        sections.append(("Metadata", diff.metadata.map { "- `\($0.field)`: \(escape($0.old)) → \(escape($0.new))" }))
        sections.append(("Codes added", diff.codesAdded.map { "- `\($0.code)` \($0.category)\($0.curated ? " (curated)" : "")" }))
        sections.append(("Codes removed", diff.codesRemoved.map { "- `\($0.code)` \($0.category)\($0.curated ? " **(curated)**" : "")" }))
        sections.append(
            (
                "Curated content changed",
                diff.codesChanged.flatMap { code in
                    code.changes.map { "- `\(code.code)` \($0.field): \(escape($0.old)) → \(escape($0.new))" }
                }
            ))
        sections.append(("RVU rows added", diff.rvuAdded.map { "- `\($0.key)` status \($0.status)" }))
        sections.append(("RVU rows removed", diff.rvuRemoved.map { "- `\($0.key)` status \($0.status)" }))
        sections.append(
            (
                "RVU rows changed",
                diff.rvuChanged.map { row in
                    "- `\(row.key)`: " + row.changes.map { "\($0.field) \($0.old) → \($0.new)" }.joined(separator: ", ")
                }
            ))
        sections.append(
            (
                "Localities",
                (diff.localitiesAdded.map { "- added \($0.mac)/\($0.locality) \(escape($0.name))" })
                    + diff.localitiesRemoved.map { "- removed \($0.mac)/\($0.locality) \(escape($0.name))" }
                    + diff.localitiesChanged.map { locality in
                        "- \(locality.mac)/\(locality.locality) \(escape(locality.name)): "
                            + locality.changes.map { "\($0.field) \($0.old) → \($0.new)" }.joined(separator: ", ")
                    }
            ))
        sections.append(
            (
                "Other tables",
                diff.otherChanges.map { change in
                    "- \(change.kind) \(change.table) `\(change.key)`"
                        + (change.changes.isEmpty
                            ? ""
                            : ": " + change.changes.map { "\($0.field) \(escape($0.old)) → \(escape($0.new))" }.joined(separator: ", "))
                }
            ))
        let footer = "\n_The JSON report has every change._\n"
        var body = ""
        var budget = Self.markdownLimit - head.utf8.count - footer.utf8.count - 200
        for (title, lines) in sections where !lines.isEmpty {
            let open = "<details><summary>\(title) (\(lines.count))</summary>\n\n"
            let close = "\n</details>\n\n"
            var section = open
            var shown = 0
            for line in lines {
                let cost = line.utf8.count + 1
                guard section.utf8.count + cost + close.utf8.count + 80 <= budget else { break }
                section += line + "\n"
                shown += 1
            }
            guard shown > 0 || budget > open.utf8.count + close.utf8.count + 80 else { break }
            if shown < lines.count { section += "- … \(lines.count - shown) more in the JSON report\n" }
            section += close
            body += section
            budget -= section.utf8.count
        }
        return head + body + footer
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }

    // MARK: JSON

    /// `{from, to, identical, descriptors (when the setting changed), filter (when filtered), summary, metadata, codes, rvu, payments,
    /// localities, other, gate}`; see docs/diff-in-ci.md.
    public var json: JSONValue {
        func side(_ side: CatalogDiff.Side) -> JSONValue {
            .object([
                ("release_id", .string(side.releaseID)), ("catalog_version", .string(side.catalogVersion)),
                ("released_on", side.releasedOn.isEmpty ? .null : .string(side.releasedOn)),
            ])
        }
        func counts(_ added: Int, _ removed: Int, _ changed: Int) -> JSONValue {
            .object([("added", .int(added)), ("removed", .int(removed)), ("changed", .int(changed))])
        }
        func changes(_ list: [CatalogDiff.FieldChange]) -> JSONValue {
            .array(list.map { .object([("field", .string($0.field)), ("old", .string($0.old)), ("new", .string($0.new))]) })
        }
        func key(_ key: CatalogDiff.RVUKey) -> [(String, JSONValue)] {
            [("hcpcs", .string(key.hcpcs)), ("modifier", .string(key.modifier)), ("variant", .string(key.variant))]
        }
        func code(_ entry: CatalogDiff.CodeEntry) -> JSONValue {
            .object([("code", .string(entry.code)), ("category", .string(entry.category)), ("curated", .bool(entry.curated))])
        }
        func locality(_ entry: CatalogDiff.LocalityChange) -> JSONValue {
            .object([
                ("mac", .string(entry.mac)), ("locality", .string(entry.locality)), ("name", .string(entry.name)),
                ("changes", changes(entry.changes)),
            ])
        }
        let summary: JSONValue = .object([
            ("codes", counts(diff.codesAdded.count, diff.codesRemoved.count, diff.codesChanged.count)),
            ("rvu", counts(diff.rvuAdded.count, diff.rvuRemoved.count, diff.rvuChanged.count)),
            ("payments", counts(diff.paymentsAdded.count, diff.paymentsRemoved.count, diff.payments.count)),
            ("localities", counts(diff.localitiesAdded.count, diff.localitiesRemoved.count, diff.localitiesChanged.count)),
            ("metadata", .object([("changed", .int(diff.metadata.count))])),
            ("other", .object([("changed", .int(diff.otherChanges.count))])),
        ])
        let changedCodes: [JSONValue] = diff.codesChanged.map {
            .object([("code", .string($0.code)), ("curated", .bool($0.curated)), ("changes", changes($0.changes))])
        }
        let codes: JSONValue = .object([
            ("added", .array(diff.codesAdded.map(code))),
            ("removed", .array(diff.codesRemoved.map(code))),
            ("changed", .array(changedCodes)),
        ])
        let added: [JSONValue] = diff.rvuAdded.map { .object(key($0.key) + [("status", .string($0.status))]) }
        let removed: [JSONValue] = diff.rvuRemoved.map { .object(key($0.key) + [("status", .string($0.status))]) }
        let changed: [JSONValue] = diff.rvuChanged.map { .object(key($0.key) + [("changes", changes($0.changes))]) }
        let rvu: JSONValue = .object([("added", .array(added)), ("removed", .array(removed)), ("changed", .array(changed))])
        let payments: [JSONValue] = diff.payments.map { payment in
            let percent: JSONValue = payment.percent.map { .number(Self.plainPercent($0)) } ?? .null
            let fields: [(String, JSONValue)] = [
                ("setting", .string(payment.setting)), ("old", .decimal(payment.old)), ("new", .decimal(payment.new)),
                ("change", .decimal(payment.dollars)), ("percent", percent),
            ]
            return .object(key(payment.key) + fields)
        }
        let localities: JSONValue = .object([
            ("added", .array(diff.localitiesAdded.map(locality))),
            ("removed", .array(diff.localitiesRemoved.map(locality))),
            ("changed", .array(diff.localitiesChanged.map(locality))),
        ])
        let other: [JSONValue] = diff.otherChanges.map { change in
            .object([
                ("table", .string(change.table)), ("key", .string(change.key)), ("kind", .string(change.kind)),
                ("changes", changes(change.changes)),
            ])
        }
        let gate: JSONValue = .object([
            ("rules", .array(rules.map { .string($0.description) })),
            ("failed", .bool(!gateFailures.isEmpty)),
            ("reasons", .array(gateFailures.map { .string($0) })),
        ])
        var fields: [(String, JSONValue)] = [
            ("from", side(diff.from)), ("to", side(diff.to)), ("identical", .bool(diff.isEmpty && (diff.filterNote?.leftOut ?? 0) == 0)),
        ]
        if let change = descriptorsChange {
            fields.append(("descriptors", .object([("old", .string(change.old)), ("new", .string(change.new))])))
        }
        if let note = diff.filterNote {
            fields.append(
                ("filter", .object([("applied", .array(note.filters.map { .string($0) })), ("left_out", .int(note.leftOut))])))
        }
        fields += [
            ("summary", summary),
            ("metadata", changes(diff.metadata)), ("codes", codes), ("rvu", rvu), ("payments", .array(payments)),
            ("localities", localities), ("other", .array(other)), ("gate", gate),
        ]
        return .object(fields)
    }
}
