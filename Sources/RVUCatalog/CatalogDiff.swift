import Foundation
import GRDB
import RVUCore

/// The differences between two catalogs, keyed by meaning: codes, curated content, RVU rows,
/// national payments, localities and the metadata that describes the data.
///
/// Values are compared as published text (`1.30`, `33.4009`), so a REAL column never differs by
/// a rounding artefact. `tool_version` and `catalog_version` are not compared: they do not
/// describe the data (the version changes exactly when something else does).
public struct CatalogDiff: Sendable {
    /// Which catalog a side is.
    public struct Side: Sendable, Equatable {
        public var releaseID: String
        public var catalogVersion: String
        public var releasedOn: String
    }

    /// One field's old and new value (`NULL` for none).
    public struct FieldChange: Sendable, Equatable {
        public var field: String
        public var old: String
        public var new: String
    }

    /// A code added or removed.
    public struct CodeEntry: Sendable, Equatable {
        public var code: String
        public var title: String
        public var category: String
        /// True when the code had (removed) or has (added) curated content.
        public var curated: Bool
    }

    /// A code whose catalog page changed.
    public struct CodeChange: Sendable, Equatable {
        public var code: String
        public var curated: Bool
        public var changes: [FieldChange]
    }

    /// The key of an RVU row.
    public struct RVUKey: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var hcpcs: String
        public var modifier: String
        public var variant: String

        public static func < (lhs: RVUKey, rhs: RVUKey) -> Bool {
            (lhs.hcpcs, lhs.modifier, lhs.variant) < (rhs.hcpcs, rhs.modifier, rhs.variant)
        }

        /// `99213`, `70450-26`, `99213 (qpp)`.
        public var description: String {
            (modifier.isEmpty ? hcpcs : "\(hcpcs)-\(modifier)") + (variant == "general" ? "" : " (\(variant))")
        }
    }

    /// An RVU row added or removed, with its status.
    public struct RVUEntry: Sendable, Equatable {
        public var key: RVUKey
        public var status: String
    }

    /// An RVU row whose fields changed.
    public struct RVUChange: Sendable, Equatable {
        public var key: RVUKey
        public var changes: [FieldChange]
    }

    /// A change of national payment in one setting.
    public struct PaymentChange: Sendable, Equatable {
        public var key: RVUKey
        /// `nonfacility` or `facility`.
        public var setting: String
        public var old: ExactDecimal?
        public var new: ExactDecimal?
        /// new - old, when both are there.
        public var dollars: ExactDecimal? {
            guard let old, let new else { return nil }
            return new - old
        }
        /// The change in percent of the old amount, when both are there and the old is not zero.
        public var percent: Double? {
            guard let old, let new, old != .zero else { return nil }
            return ((new - old).doubleValue / old.doubleValue) * 100
        }
    }

    /// A row of another table added, removed or changed, by its key (`70450-TC 10112/00`).
    public struct RowChange: Sendable, Equatable {
        public var table: String
        public var key: String
        /// `added`, `removed` or `changed`.
        public var kind: String
        public var changes: [FieldChange]
    }

    /// A locality added, removed or changed.
    public struct LocalityChange: Sendable, Equatable {
        public var mac: String
        public var locality: String
        public var name: String
        public var changes: [FieldChange]
    }

    public var from: Side
    public var to: Side
    public var metadata: [FieldChange] = []
    public var codesAdded: [CodeEntry] = []
    public var codesRemoved: [CodeEntry] = []
    public var codesChanged: [CodeChange] = []
    public var rvuAdded: [RVUEntry] = []
    public var rvuRemoved: [RVUEntry] = []
    public var rvuChanged: [RVUChange] = []
    public var payments: [PaymentChange] = []
    public var localitiesAdded: [LocalityChange] = []
    public var localitiesRemoved: [LocalityChange] = []
    public var localitiesChanged: [LocalityChange] = []
    /// Rows of the other tables (OPPS caps, county crosswalk, categories) added, removed or changed.
    public var otherChanges: [RowChange] = []
    /// Codes with curated content in either catalog (for gate rules).
    public var curatedCodes: Set<String> = []

    /// True when the two catalogs hold the same data.
    public var isEmpty: Bool {
        metadata.isEmpty && codesAdded.isEmpty && codesRemoved.isEmpty && codesChanged.isEmpty && rvuAdded.isEmpty
            && rvuRemoved.isEmpty && rvuChanged.isEmpty && payments.isEmpty && localitiesAdded.isEmpty
            && localitiesRemoved.isEmpty && localitiesChanged.isEmpty && otherChanges.isEmpty
    }
}

extension CatalogDiff {
    /// What to keep of a diff: kinds of change, fields, a variant, codes matching a pattern.
    public struct Filter: Sendable {
        public enum Kind: String, Sendable, CaseIterable { case added, removed, changed }

        public var only: Set<Kind> = []
        /// Field names (`work_rvu`, `status`, `title`, `nonfacility_amount`, ...); empty for all.
        public var fields: Set<String> = []
        public var variant: String?
        /// A code pattern with `*` and `?` wildcards (`99*`, `D0???`); nil for all.
        public var codePattern: String?

        public init(only: Set<Kind> = [], fields: Set<String> = [], variant: String? = nil, codePattern: String? = nil) {
            self.only = only
            self.fields = fields
            self.variant = variant
            self.codePattern = codePattern
        }

        func keeps(_ kind: Kind) -> Bool { only.isEmpty || only.contains(kind) }

        func keeps(code: String) -> Bool {
            guard let codePattern else { return true }
            return Self.matches(Array(code.uppercased().utf8), Array(codePattern.uppercased().utf8))
        }

        func keeps(_ key: RVUKey) -> Bool { keeps(code: key.hcpcs) && (variant == nil || key.variant == variant) }

        func keeps(field: String) -> Bool { fields.isEmpty || fields.contains(field) }

        /// Glob matching with `*` (any run) and `?` (one character).
        static func matches(_ text: [UInt8], _ pattern: [UInt8]) -> Bool {
            var t = 0
            var p = 0
            var star = -1
            var mark = 0
            while t < text.count {
                if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                    t += 1
                    p += 1
                } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                    star = p
                    mark = t
                    p += 1
                } else if star >= 0 {
                    p = star + 1
                    mark += 1
                    t = mark
                } else {
                    return false
                }
            }
            while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
            return p == pattern.count
        }
    }

    /// The diff with only what the filter keeps.
    public func filtered(_ filter: Filter) -> CatalogDiff {
        var diff = self
        func fields(_ changes: [FieldChange]) -> [FieldChange] { changes.filter { filter.keeps(field: $0.field) } }
        diff.codesAdded = filter.keeps(.added) && filter.fields.isEmpty ? codesAdded.filter { filter.keeps(code: $0.code) } : []
        diff.codesRemoved = filter.keeps(.removed) && filter.fields.isEmpty ? codesRemoved.filter { filter.keeps(code: $0.code) } : []
        diff.codesChanged =
            filter.keeps(.changed)
            ? codesChanged.filter { filter.keeps(code: $0.code) }.map { CodeChange(code: $0.code, curated: $0.curated, changes: fields($0.changes)) }
                .filter { !$0.changes.isEmpty } : []
        diff.rvuAdded = filter.keeps(.added) && filter.fields.isEmpty ? rvuAdded.filter { filter.keeps($0.key) } : []
        diff.rvuRemoved = filter.keeps(.removed) && filter.fields.isEmpty ? rvuRemoved.filter { filter.keeps($0.key) } : []
        diff.rvuChanged =
            filter.keeps(.changed)
            ? rvuChanged.filter { filter.keeps($0.key) }.map { RVUChange(key: $0.key, changes: fields($0.changes)) }.filter { !$0.changes.isEmpty }
            : []
        diff.payments =
            filter.keeps(.changed)
            ? payments.filter { filter.keeps($0.key) && filter.keeps(field: "\($0.setting)_amount") } : []
        let localityFilterOn = filter.codePattern == nil && filter.variant == nil
        diff.localitiesAdded = filter.keeps(.added) && filter.fields.isEmpty && localityFilterOn ? localitiesAdded : []
        diff.localitiesRemoved = filter.keeps(.removed) && filter.fields.isEmpty && localityFilterOn ? localitiesRemoved : []
        diff.localitiesChanged =
            filter.keeps(.changed) && localityFilterOn
            ? localitiesChanged.map { LocalityChange(mac: $0.mac, locality: $0.locality, name: $0.name, changes: fields($0.changes)) }
                .filter { !$0.changes.isEmpty } : []
        diff.metadata = filter.keeps(.changed) && localityFilterOn ? metadata.filter { filter.keeps(field: $0.field) } : []
        diff.otherChanges = otherChanges.compactMap { change in
            guard let kind = Filter.Kind(rawValue: change.kind), filter.keeps(kind) else { return nil }
            if change.table == "opps_cap" {
                guard filter.keeps(code: String(change.key.prefix(5))), filter.variant == nil else { return nil }
            } else if !localityFilterOn {
                return nil
            }
            if kind != .changed { return filter.fields.isEmpty ? change : nil }
            let kept = change.changes.filter { filter.keeps(field: $0.field) }
            return kept.isEmpty ? nil : RowChange(table: change.table, key: change.key, kind: change.kind, changes: kept)
        }
        return diff
    }
}

extension CatalogDiff {
    /// Compares two catalogs.
    public static func compare(_ old: CatalogReader, _ new: CatalogReader) throws(DiagnosticError) -> CatalogDiff {
        let before = try CatalogSnapshot.load(old)
        let after = try CatalogSnapshot.load(new)
        var diff = CatalogDiff(from: before.side, to: after.side)

        for key in Set(before.meta.keys).union(after.meta.keys).sorted() where !CatalogDump.nonDataMetaKeys.contains(key) {
            let old = before.meta[key] ?? "NULL"
            let new = after.meta[key] ?? "NULL"
            if old != new { diff.metadata.append(FieldChange(field: key, old: old, new: new)) }
        }

        for code in Set(before.codes.keys).union(after.codes.keys).sorted() {
            if before.codes[code]?.isCurated == true || after.codes[code]?.isCurated == true { diff.curatedCodes.insert(code) }
            switch (before.codes[code], after.codes[code]) {
            case (let old?, nil):
                diff.codesRemoved.append(CodeEntry(code: code, title: old["title"] ?? "NULL", category: old["category"] ?? "", curated: old.isCurated))
            case (nil, let new?):
                diff.codesAdded.append(CodeEntry(code: code, title: new["title"] ?? "NULL", category: new["category"] ?? "", curated: new.isCurated))
            case (let old?, let new?):
                let changes = CatalogSnapshot.codeFields.compactMap { field -> FieldChange? in
                    let a = old[field] ?? "NULL"
                    let b = new[field] ?? "NULL"
                    return a == b ? nil : FieldChange(field: field, old: a, new: b)
                }
                if !changes.isEmpty { diff.codesChanged.append(CodeChange(code: code, curated: old.isCurated || new.isCurated, changes: changes)) }
            case (nil, nil):
                break
            }
        }

        for key in Set(before.rvu.keys).union(after.rvu.keys).sorted() {
            switch (before.rvu[key], after.rvu[key]) {
            case (let old?, nil): diff.rvuRemoved.append(RVUEntry(key: key, status: old.status))
            case (nil, let new?): diff.rvuAdded.append(RVUEntry(key: key, status: new.status))
            case (let old?, let new?):
                var changes: [FieldChange] = []
                for (index, field) in before.rvuColumns.enumerated() where old.values[index] != new.values[safe: after.rvuColumns.firstIndex(of: field)] {
                    changes.append(FieldChange(field: field, old: old.values[index], new: new.values[safe: after.rvuColumns.firstIndex(of: field)]))
                }
                if !changes.isEmpty { diff.rvuChanged.append(RVUChange(key: key, changes: changes)) }
            case (nil, nil):
                break
            }
        }

        for key in Set(before.payments.keys).intersection(after.payments.keys).sorted() {
            guard let old = before.payments[key], let new = after.payments[key] else { continue }
            if old.nonfacility != new.nonfacility {
                diff.payments.append(PaymentChange(key: key, setting: "nonfacility", old: old.nonfacility, new: new.nonfacility))
            }
            if old.facility != new.facility {
                diff.payments.append(PaymentChange(key: key, setting: "facility", old: old.facility, new: new.facility))
            }
        }

        for key in Set(before.localities.keys).union(after.localities.keys).sorted() {
            switch (before.localities[key], after.localities[key]) {
            case (let old?, nil):
                diff.localitiesRemoved.append(LocalityChange(mac: old["mac"] ?? "", locality: old["locality"] ?? "", name: old["name"] ?? "", changes: []))
            case (nil, let new?):
                diff.localitiesAdded.append(LocalityChange(mac: new["mac"] ?? "", locality: new["locality"] ?? "", name: new["name"] ?? "", changes: []))
            case (let old?, let new?):
                let changes = CatalogSnapshot.localityFields.compactMap { field -> FieldChange? in
                    let a = old[field] ?? "NULL"
                    let b = new[field] ?? "NULL"
                    return a == b ? nil : FieldChange(field: field, old: a, new: b)
                }
                if !changes.isEmpty {
                    diff.localitiesChanged.append(LocalityChange(mac: new["mac"] ?? "", locality: new["locality"] ?? "", name: new["name"] ?? "", changes: changes))
                }
            case (nil, nil):
                break
            }
        }
        for table in CatalogSnapshot.otherTables {
            let old = before.other[table.name] ?? [:]
            let new = after.other[table.name] ?? [:]
            for key in Set(old.keys).union(new.keys).sorted() {
                switch (old[key], new[key]) {
                case (_?, nil): diff.otherChanges.append(RowChange(table: table.name, key: key, kind: "removed", changes: []))
                case (nil, _?): diff.otherChanges.append(RowChange(table: table.name, key: key, kind: "added", changes: []))
                case (let a?, let b?):
                    let changes = a.keys.sorted().compactMap { field -> FieldChange? in
                        let x = a[field] ?? "NULL"
                        let y = b[field] ?? "NULL"
                        return x == y ? nil : FieldChange(field: field, old: x, new: y)
                    }
                    if !changes.isEmpty { diff.otherChanges.append(RowChange(table: table.name, key: key, kind: "changed", changes: changes)) }
                case (nil, nil): break
                }
            }
        }
        return diff
    }
}

extension Array where Element == String {
    subscript(safe index: Int?) -> String {
        guard let index, indices.contains(index) else { return "NULL" }
        return self[index]
    }
}

extension Dictionary where Key == String, Value == String {
    var isCurated: Bool { self["title_source"] == "curated" }
}

/// A catalog's data loaded for comparison, every value as published text.
struct CatalogSnapshot {
    struct RVURow {
        var status: String
        var values: [String]
    }

    var side: CatalogDiff.Side
    var meta: [String: String] = [:]
    var codes: [String: [String: String]] = [:]
    var rvuColumns: [String] = []
    var rvu: [CatalogDiff.RVUKey: RVURow] = [:]
    var payments: [CatalogDiff.RVUKey: (nonfacility: ExactDecimal?, facility: ExactDecimal?)] = [:]
    var localities: [String: [String: String]] = [:]
    /// Other tables: key -> field -> value.
    var other: [String: [String: [String: String]]] = [:]

    /// Other tables compared row by row: the key columns and the value columns.
    static let otherTables: [(name: String, key: [String], values: [String])] = [
        ("opps_cap", ["hcpcs", "modifier", "mac", "locality"], ["status", "facility_price", "nonfacility_price"]),
        ("locality_county", ["mac", "locality", "state", "fee_schedule_area"], ["counties"]),
        ("category", ["id"], ["name", "code_set", "billing_notes", "documentation_notes"]),
    ]

    /// The code fields compared (synonyms and specialties joined in order).
    static let codeFields = [
        "title", "title_source", "category", "description", "plain_language", "clinical_context", "billing_notes",
        "documentation_notes", "in_release", "synonyms", "specialties", "modifier_notes",
    ]
    static let localityFields = [
        "state", "name", "work_gpci", "work_gpci_without_floor", "pe_gpci", "mp_gpci", "anesthesia_cf", "anesthesia_cf_qpp",
    ]

    static func load(_ reader: CatalogReader) throws(DiagnosticError) -> CatalogSnapshot {
        try reader.read { db in
            var scales: [String: Int] = [:]
            for entry in Schema.scales { scales["\(entry.table).\(entry.column)"] = entry.scale }
            func rows(_ table: String, _ sql: String, _ body: ([String], Row) -> Void) throws {
                let statement = try db.makeStatement(sql: sql)
                let names = statement.columnNames
                let columnScales = names.map { scales["\(table).\($0)"] }
                let cursor = try Row.fetchCursor(statement)
                while let row = try cursor.next() {
                    body(names.indices.map { CatalogDump.format(row[$0] as DatabaseValue, scale: columnScales[$0]) }, row)
                }
            }
            var meta: [String: String] = [:]
            try rows("catalog_meta", "SELECT key, value FROM catalog_meta") { values, _ in meta[values[0]] = values[1] }
            var snapshot = CatalogSnapshot(
                side: CatalogDiff.Side(
                    releaseID: meta["release_id"] ?? "", catalogVersion: meta["catalog_version"] ?? "", releasedOn: meta["released_on"] ?? ""))
            snapshot.meta = meta
            try rows("code", "SELECT * FROM code") { values, _ in
                let statementColumns = ["code", "title", "title_source", "category", "description", "plain_language", "clinical_context", "billing_notes", "documentation_notes", "in_release"]
                var fields: [String: String] = [:]
                for (index, name) in statementColumns.enumerated() where index < values.count { fields[name] = values[index] }
                snapshot.codes[values[0]] = fields
            }
            for (table, column, field) in [
                ("code_synonym", "synonym", "synonyms"), ("code_specialty", "specialty", "specialties"),
            ] {
                let order = table == "code_synonym" ? "position" : column
                try rows(table, "SELECT code, \(column) FROM \(table) ORDER BY code, \(order)") { values, _ in
                    guard snapshot.codes[values[0]] != nil else { return }
                    let previous = snapshot.codes[values[0]]?[field]
                    snapshot.codes[values[0]]?[field] = previous.map { "\($0); \(values[1])" } ?? values[1]
                }
            }
            try rows("code_modifier_note", "SELECT code, modifier, note FROM code_modifier_note ORDER BY code, modifier") { values, _ in
                guard snapshot.codes[values[0]] != nil else { return }
                let entry = "\(values[1]): \(values[2])"
                let previous = snapshot.codes[values[0]]?["modifier_notes"]
                snapshot.codes[values[0]]?["modifier_notes"] = previous.map { "\($0); \(entry)" } ?? entry
            }
            let rvuStatement = try db.makeStatement(sql: "SELECT * FROM rvu")
            snapshot.rvuColumns = Array(rvuStatement.columnNames.dropFirst(3))
            try rows("rvu", "SELECT * FROM rvu") { values, _ in
                let key = CatalogDiff.RVUKey(hcpcs: values[0], modifier: values[1], variant: values[2])
                snapshot.rvu[key] = RVURow(status: values[3], values: Array(values.dropFirst(3)))
            }
            try rows("national_payment", "SELECT hcpcs, modifier, variant, nonfacility_amount, facility_amount FROM national_payment") { values, _ in
                let key = CatalogDiff.RVUKey(hcpcs: values[0], modifier: values[1], variant: values[2])
                snapshot.payments[key] = (ExactDecimal(values[3]), ExactDecimal(values[4]))
            }
            try rows("locality", "SELECT * FROM locality") { values, row in
                var fields: [String: String] = [:]
                for (index, name) in row.columnNames.enumerated() where index < values.count { fields[name] = values[index] }
                snapshot.localities["\(values[0])/\(values[1])"] = fields
            }
            for table in otherTables {
                let columns = table.key + table.values
                var entries: [String: [String: String]] = [:]
                try rows(table.name, "SELECT \(columns.joined(separator: ", ")) FROM \(table.name)") { values, _ in
                    var key = values[0]
                    if table.name == "opps_cap" {
                        key = (values[1].isEmpty ? values[0] : "\(values[0])-\(values[1])") + " \(values[2])/\(values[3])"
                    } else {
                        key = values.prefix(table.key.count).joined(separator: " ")
                    }
                    var fields: [String: String] = [:]
                    for (index, name) in table.values.enumerated() { fields[name] = values[table.key.count + index] }
                    entries[key] = fields
                }
                snapshot.other[table.name] = entries
            }
            return snapshot
        }
    }
}
