import RVUCore
import RVUMerge

/// One cell of a catalog row, as the writer binds it and the version hash reads it.
enum CatalogValue {
    case null
    case integer(Int64)
    /// A REAL column's value; stored as the nearest double, hashed at the column's scale.
    case decimal(ExactDecimal)
    case text(String)

    init(_ value: ExactDecimal?) { self = value.map { .decimal($0) } ?? .null }
    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    init(_ flag: Bool) { self = .integer(flag ? 1 : 0) }
}

/// The tables the writer fills, in dump order, with their rows generated from a merged catalog.
///
/// Rows come in primary-key order (SQLite's binary collation, which is code-point order, as
/// Swift's `<` is for the ASCII keys used here), so that inserts append to each table's b-tree
/// and the version hash sees the rows in the order ``CatalogDump`` reads them back.
struct CatalogRows: Sendable {
    let catalog: MergedCatalog
    /// Row orders, computed once for the writer and the hasher.
    private let codeOrder: [Int]
    private let rvuOrder: [(variant: Variant, index: Int)]
    private let countyOrder: [Int]
    private let capOrder: [Int]
    private let paymentOrder: [Int]

    init(_ catalog: MergedCatalog) {
        self.catalog = catalog
        let release = catalog.release
        codeOrder = Self.order(catalog.codes) { $0.code < $1.code }
        var rvuOrder: [(variant: Variant, index: Int)] = []
        rvuOrder.reserveCapacity(release.rvu.values.reduce(0) { $0 + $1.count })
        for variant in release.rvu.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            for index in release.rvu[variant]?.indices ?? 0..<0 { rvuOrder.append((variant, index)) }
        }
        func rvu(_ position: (variant: Variant, index: Int)) -> RVURecord? { release.rvu[position.variant]?[position.index] }
        let ordered = zip(rvuOrder, rvuOrder.dropFirst()).allSatisfy { pair in
            guard let a = rvu(pair.0), let b = rvu(pair.1) else { return true }
            return !Self.precedes((b.hcpcs, b.modifier, pair.1.variant.rawValue), (a.hcpcs, a.modifier, pair.0.variant.rawValue))
        }
        if !ordered {
            // Records copied out once for sorting: dictionary lookups in the comparator cost more.
            let keys = rvuOrder.map { position in
                let record = rvu(position)
                return (record?.hcpcs ?? "", record?.modifier ?? "", position.variant.rawValue)
            }
            let sorted = keys.indices.sorted { Self.precedes(keys[$0], keys[$1]) }
            rvuOrder = sorted.map { rvuOrder[$0] }
        }
        self.rvuOrder = rvuOrder
        countyOrder = Self.order(release.localityCounties) {
            ($0.mac, $0.locality, $0.state, $0.feeScheduleArea) < ($1.mac, $1.locality, $1.state, $1.feeScheduleArea)
        }
        capOrder = Self.order(release.oppsCaps) {
            if $0.hcpcs != $1.hcpcs { return $0.hcpcs < $1.hcpcs }
            return ($0.modifier, $0.mac, $0.locality) < ($1.modifier, $1.mac, $1.locality)
        }
        paymentOrder = Self.order(catalog.payments) {
            Self.precedes(($0.hcpcs, $0.modifier, $0.variant.rawValue), ($1.hcpcs, $1.modifier, $1.variant.rawValue))
        }
    }

    /// Three-part key order, comparing later parts only when earlier ones are equal.
    static func precedes(_ a: (String, String, String), _ b: (String, String, String)) -> Bool {
        if a.0 != b.0 { return a.0 < b.0 }
        if a.1 != b.1 { return a.1 < b.1 }
        return a.2 < b.2
    }

    /// A table and the number of its columns.
    enum Table: Int, CaseIterable {
        case catalogMeta, columnScale, releaseMember, category, code, codeSynonym, codeSpecialty, codeModifierNote, rvu, locality,
            localityCounty, oppsCap, nationalPayment

        var name: String { CatalogDump.tables[rawValue].name }

        var columns: Int {
            switch self {
            case .catalogMeta: 2
            case .columnScale: 3
            case .releaseMember: 7
            case .category: 5
            case .code: 10
            case .codeSynonym: 3
            case .codeSpecialty: 2
            case .codeModifierNote: 3
            case .rvu: 32
            case .locality: 10
            case .localityCounty: 5
            case .oppsCap: 7
            case .nationalPayment: 5
            }
        }
    }

    /// The metadata rows, sorted by key (`catalog_version` is added after hashing).
    static func metaRows(_ catalog: MergedCatalog) -> [(String, String)] {
        let release = catalog.release
        var rows: [(String, String)] = [
            ("schema_version", String(Schema.version)),
            ("release_id", release.id.shortName),
            ("release_revision", release.id.revisionName),
            ("released_on", release.releasedOn?.description ?? ""),
            ("source_sha256", release.sourceSHA256 ?? ""),
            ("curated_revision", catalog.curatedRevision),
            ("tool_version", ToolInfo.version),
            ("attribution", "Data sourced from CMS Physician Fee Schedule \(release.id.shortName)"),
        ]
        if let national = release.nationalAnesthesiaCF { rows.append(("national_anesthesia_cf", national.description)) }
        for (index, notice) in release.notices.enumerated() {
            let upper = notice.uppercased()
            let key = upper.contains("DENTAL") ? "ada_notice" : upper.contains("MEDICAL ASSOCIATION") ? "ama_notice" : "notice_\(index + 1)"
            rows.append((key, notice))
        }
        return rows.sorted { $0.0 < $1.0 }
    }

    /// The indices of `items` in the order `isOrdered` gives; no copy of the items.
    static func order<T>(_ items: [T], by isOrdered: (T, T) -> Bool) -> [Int] {
        var indices = Array(items.indices)
        // Release files are nearly always sorted already: check before sorting.
        if !zip(items, items.dropFirst()).allSatisfy({ !isOrdered($1, $0) }) {
            indices.sort { isOrdered(items[$0], items[$1]) }
        }
        return indices
    }

    /// Calls `body` with every row of every table in dump order.
    func forEach(_ body: (Table, [CatalogValue]) throws -> Void) rethrows {
        let release = catalog.release
        func emit(_ table: Table, _ values: CatalogValue...) throws { try body(table, values) }

        for (key, value) in Self.metaRows(catalog) { try emit(.catalogMeta, .text(key), .text(value)) }
        for entry in Schema.scales.sorted(by: { ($0.table, $0.column) < ($1.table, $1.column) }) {
            try emit(.columnScale, .text(entry.table), .text(entry.column), .integer(Int64(entry.scale)))
        }
        for item in release.members.sorted(by: { $0.name < $1.name }) {
            try emit(
                .releaseMember, .text(item.name), .text(item.dataset.rawValue), .text(item.variant.rawValue), .text(item.format.rawValue),
                .text(item.sha256), .integer(Int64(item.bytes)), .integer(Int64(item.rows)))
        }

        let categories = Dictionary(catalog.codes.map { ($0.category.id, $0.category) }, uniquingKeysWith: { first, _ in first })
        let notes = Dictionary(catalog.categoryNotes.map { ($0.category, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Set(categories.keys).union(notes.keys).sorted() {
            let known = categories[id] ?? CodeCategory.category(id: id)
            try emit(
                .category, .text(id), .text(known?.name ?? id), .text(known?.codeSet.rawValue ?? "hcpcs"),
                CatalogValue(notes[id]?.billingNotes), CatalogValue(notes[id]?.documentationNotes))
        }

        let codes = codeOrder
        for index in codes {
            let entry = catalog.codes[index]
            try emit(
                .code, .text(entry.code), CatalogValue(entry.title), .text(entry.titleSource.rawValue), .text(entry.category.id),
                CatalogValue(entry.description), CatalogValue(entry.plainLanguage), CatalogValue(entry.clinicalContext),
                CatalogValue(entry.billingNotes), CatalogValue(entry.documentationNotes), CatalogValue(entry.inRelease))
        }
        for index in codes {
            let entry = catalog.codes[index]
            for (position, text) in entry.synonyms.enumerated() where !entry.synonyms[..<position].contains(text) {
                try emit(.codeSynonym, .text(entry.code), .text(text), .integer(Int64(position + 1)))
            }
        }
        for index in codes {
            let entry = catalog.codes[index]
            for text in Set(entry.specialties).sorted() { try emit(.codeSpecialty, .text(entry.code), .text(text)) }
        }
        for index in codes {
            let entry = catalog.codes[index]
            for modifier in entry.modifierNotes.keys.sorted() {
                try emit(.codeModifierNote, .text(entry.code), .text(modifier), CatalogValue(entry.modifierNotes[modifier]))
            }
        }

        // RVU rows of every variant, by (hcpcs, modifier, variant).
        for (variant, index) in rvuOrder {
            guard let r = release.rvu[variant]?[index] else { continue }
            try emit(
                .rvu, .text(r.hcpcs), .text(r.modifier), .text(variant.rawValue), .text(r.status),
                CatalogValue(r.notUsedForMedicarePayment),
                CatalogValue(r.workRVU), CatalogValue(r.nonfacilityPE), CatalogValue(r.nonfacilityNA), CatalogValue(r.facilityPE),
                CatalogValue(r.facilityNA), CatalogValue(r.mpRVU), CatalogValue(r.nonfacilityTotal), CatalogValue(r.facilityTotal),
                .text(r.pctc), .text(r.globalDays), CatalogValue(r.preOp), CatalogValue(r.intraOp), CatalogValue(r.postOp),
                .text(r.multProc),
                .text(r.bilatSurg), .text(r.asstSurg), .text(r.coSurg), .text(r.teamSurg), CatalogValue(r.pricingIndicator),
                .text(r.endoBase),
                CatalogValue(r.conversionFactor), .text(r.supervision), .text(r.calculationFlag), .text(r.imagingFamily),
                CatalogValue(r.oppsNonfacilityPE), CatalogValue(r.oppsFacilityPE), CatalogValue(r.oppsMP))
        }

        // Localities: GPCI and anesthesia joined by MAC and locality (the first record of a key wins).
        var gpci: [String: GPCIRecord] = [:]
        for record in release.gpci { gpci["\(record.mac)/\(record.locality)"] = record }
        let anesthesia = Dictionary(release.anesthesia.map { ("\($0.mac)/\($0.locality)", $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(gpci.keys).union(anesthesia.keys).sorted() {
            let g = gpci[key]
            let a = anesthesia[key]
            try emit(
                .locality, CatalogValue(g?.mac ?? a?.mac), CatalogValue(g?.locality ?? a?.locality), .text(g?.state ?? ""),
                .text(g?.name ?? a?.name ?? ""), CatalogValue(g?.workGPCI), CatalogValue(g?.workGPCIWithoutFloor), CatalogValue(g?.peGPCI),
                CatalogValue(g?.mpGPCI), CatalogValue(a?.conversionFactor), CatalogValue(a?.qppConversionFactor))
        }

        // The crosswalk; a repeated key keeps its first row.
        let counties = release.localityCounties
        var previous: Int?
        for index in countyOrder {
            let r = counties[index]
            if let previous, case let p = counties[previous],
                (p.mac, p.locality, p.state, p.feeScheduleArea) == (r.mac, r.locality, r.state, r.feeScheduleArea)
            {
                continue
            }
            previous = index
            try emit(.localityCounty, .text(r.mac), .text(r.locality), .text(r.state), .text(r.feeScheduleArea), .text(r.counties))
        }

        let caps = release.oppsCaps
        for index in capOrder {
            let r = caps[index]
            try emit(
                .oppsCap, .text(r.hcpcs), .text(r.modifier), .text(r.mac), .text(r.locality), .text(r.status), .decimal(r.facilityPrice),
                .decimal(r.nonfacilityPrice))
        }

        let payments = catalog.payments
        for index in paymentOrder {
            let p = payments[index]
            try emit(
                .nationalPayment, .text(p.hcpcs), .text(p.modifier), .text(p.variant.rawValue), CatalogValue(p.nonfacility),
                CatalogValue(p.facility))
        }
    }

    /// The search rows: codes with a title, description or synonyms.
    func forEachSearchRow(_ body: ([CatalogValue]) throws -> Void) rethrows {
        for entry in codeOrder.map({ catalog.codes[$0] })
        where entry.title != nil || entry.description != nil || !entry.synonyms.isEmpty {
            try body([
                .text(entry.code), CatalogValue(entry.title), .text(entry.synonyms.joined(separator: "; ")),
                CatalogValue(entry.description),
                CatalogValue(entry.plainLanguage), CatalogValue(entry.clinicalContext),
            ])
        }
    }
}
