import GRDB
import RVUCore

/// The catalog as canonical text: every table (but the derived search index), rows sorted by
/// primary key, one row per line as `column=value` pairs separated by tabs, REAL columns printed
/// at their published scale (`1.30`), NULL as `NULL`. Used for golden files and tests; the diff
/// prints values the same way (``format(_:scale:)``).
public enum CatalogDump {
    /// The tables in dump order with their sort keys.
    static let tables: [(name: String, orderBy: String)] = [
        ("catalog_meta", "key"), ("column_scale", "table_name, column_name"), ("release_member", "name"),
        ("category", "id"), ("code", "code"), ("code_synonym", "code, position"), ("code_specialty", "code, specialty"),
        ("code_modifier_note", "code, modifier"), ("rvu", "hcpcs, modifier, variant"), ("locality", "mac, locality"),
        ("locality_county", "mac, locality, state, fee_schedule_area"), ("opps_cap", "hcpcs, modifier, mac, locality"),
        ("national_payment", "hcpcs, modifier, variant"),
    ]

    /// Metadata keys that do not describe the data: left out of the version hash and of diffs.
    public static let nonDataMetaKeys: Set<String> = ["catalog_version", "tool_version"]

    /// The dump of an open database.
    public static func text(_ db: Database, excludingVersion: Bool = false) throws -> String {
        var scales: [String: Int] = [:]
        for entry in Schema.scales { scales["\(entry.table).\(entry.column)"] = entry.scale }
        var output = ""
        output.reserveCapacity(1 << 22)
        for table in tables {
            output += "# \(table.name)\n"
            let statement = try db.makeStatement(sql: "SELECT * FROM \(table.name) ORDER BY \(table.orderBy)")
            // Column prefixes and scales once per table, not per value.
            let prefixes = statement.columnNames.map { "\($0)=" }
            let columnScales = statement.columnNames.map { scales["\(table.name).\($0)"] }
            let skipMeta = excludingVersion && table.name == "catalog_meta"
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                if skipMeta, let key = try row.decode(String?.self, atIndex: 0), nonDataMetaKeys.contains(key) { continue }
                for index in prefixes.indices {
                    if index > 0 { output += "\t" }
                    output += prefixes[index]
                    output += format(try row.decode(DatabaseValue.self, atIndex: index), scale: columnScales[index])
                }
                output += "\n"
            }
        }
        return output
    }

    /// The published decimal a stored REAL holds, at its column's scale: the stored double is the
    /// one nearest the published decimal, so scaled and rounded it gives the published digits
    /// back exactly. Nil beyond the range where that holds (2^53 units).
    static func decimal(stored double: Double, scale: Int) -> ExactDecimal? {
        let scaled = (double * Double(ExactDecimal.power(of: scale))).rounded()
        guard scaled.magnitude < 9e15 else { return nil }
        return ExactDecimal(units: Int64(scaled), scale: scale)
    }

    /// A value as text; a REAL at its column's published scale.
    package static func format(_ value: DatabaseValue, scale: Int?) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let integer):
            return scale.map { ExactDecimal(units: integer, scale: 0).rounded(toScale: $0).description } ?? String(integer)
        case .double(let double):
            guard let scale, let decimal = decimal(stored: double, scale: scale) else { return String(double) }
            return decimal.description
        case .string(let text): return text.replacingTabsAndNewlines
        case .blob(let data): return "<\(data.count) bytes>"
        }
    }
}

extension String {
    /// Tabs and line breaks escaped, so that a value stays on its line.
    var replacingTabsAndNewlines: String {
        guard utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return self }
        var output = ""
        for character in self {
            switch character {
            case "\t": output += "\\t"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\\": output += "\\\\"
            default: output.append(character)
            }
        }
        return output
    }
}
