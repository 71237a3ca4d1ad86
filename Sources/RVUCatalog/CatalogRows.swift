import RVUCore
import RVUMerge

/// One cell of a catalog row read back from a finished catalog (for its version), or a single
/// row the writer inserts outside the batches.
enum CatalogValue {
    case null
    case integer(Int64)
    /// A REAL column's value; stored as the nearest double, hashed at the column's scale.
    case decimal(ExactDecimal)
    case text(String)
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
            case .code: 11
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
        // The release as CMS names it (`RVU24AR` for a correction) and, apart, the revision as the
        // id asked for spelled it (`updated 2024-04-01`): that spelling is not written inside
        // CMS's files, and is left out of the version (see ``CatalogHasher/unhashedMetaKeys``).
        var rows: [(String, String)] = [
            ("schema_version", String(Schema.version)),
            ("release_id", release.id.shortName),
            ("release_revision", release.id.revisionName),
            ("released_on", release.releasedOn?.description ?? ""),
            ("source_sha256", release.sourceSHA256 ?? ""),
            ("curated_revision", catalog.curatedRevision),
            // Which way the catalog was built: with CMS's CPT and CDT descriptors or without.
            ("descriptors", catalog.descriptors.rawValue),
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

    /// The positions of the items that do not repeat an earlier one: a short list is searched,
    /// a long one hashed.
    static func firstOccurrences(_ items: [String]) -> [Int] {
        guard items.count > 16 else { return items.indices.filter { !items[..<$0].contains(items[$0]) } }
        var seen: Set<String> = []
        return items.indices.filter { seen.insert(items[$0]).inserted }
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

    /// Sends every row to `encoder` in dump order, value by value (the search rows apart:
    /// ``encodeSearchRows(into:)``).
    func encode<Sink: CatalogRowSink>(into encoder: inout Sink) throws(Sink.Failure) {
        let release = catalog.release

        for (key, value) in Self.metaRows(catalog) {
            try encoder.beginRow(.catalogMeta)
            encoder.add(key)
            encoder.add(value)
            try encoder.endRow()
        }
        for entry in Schema.scales.sorted(by: { ($0.table, $0.column) < ($1.table, $1.column) }) {
            try encoder.beginRow(.columnScale)
            encoder.add(entry.table)
            encoder.add(entry.column)
            encoder.add(entry.scale)
            try encoder.endRow()
        }
        for item in release.members.sorted(by: { $0.name < $1.name }) {
            try encoder.beginRow(.releaseMember)
            encoder.add(item.name)
            encoder.add(item.dataset.rawValue)
            encoder.add(item.variant.rawValue)
            encoder.add(item.format.rawValue)
            encoder.add(item.sha256)
            encoder.add(item.bytes)
            encoder.add(item.rows)
            try encoder.endRow()
        }

        let categories = Dictionary(catalog.codes.map { ($0.category.id, $0.category) }, uniquingKeysWith: { first, _ in first })
        let notes = Dictionary(catalog.categoryNotes.map { ($0.category, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Set(categories.keys).union(notes.keys).sorted() {
            let known = categories[id] ?? CodeCategory.category(id: id)
            try encoder.beginRow(.category)
            encoder.add(id)
            encoder.add(known?.name ?? id)
            encoder.add(known?.codeSet.rawValue ?? "hcpcs")
            encoder.add(notes[id]?.billingNotes)
            encoder.add(notes[id]?.documentationNotes)
            try encoder.endRow()
        }

        let codes = codeOrder
        for index in codes {
            let entry = catalog.codes[index]
            try encoder.beginRow(.code)
            encoder.add(entry.code)
            encoder.add(entry.title)
            encoder.add(entry.titleSource.rawValue)
            encoder.add(entry.category.id)
            encoder.add(entry.description)
            encoder.add(entry.plainLanguage)
            encoder.add(entry.clinicalContext)
            encoder.add(entry.billingNotes)
            encoder.add(entry.documentationNotes)
            encoder.add(entry.inRelease)
            encoder.add(entry.cmsDescriptor)
            try encoder.endRow()
        }
        // Lists are short: repeats are found by searching them, not by hashing (a set per code
        // cost more than the inserts).
        for index in codes {
            let code = catalog.codes[index].code
            let synonyms = catalog.codes[index].synonyms
            for position in Self.firstOccurrences(synonyms) {
                try encoder.beginRow(.codeSynonym)
                encoder.add(code)
                encoder.add(synonyms[position])
                encoder.add(position + 1)
                try encoder.endRow()
            }
        }
        for index in codes {
            let code = catalog.codes[index].code
            let specialties = catalog.codes[index].specialties.sorted()
            for (position, text) in specialties.enumerated() where position == 0 || specialties[position - 1] != text {
                try encoder.beginRow(.codeSpecialty)
                encoder.add(code)
                encoder.add(text)
                try encoder.endRow()
            }
        }
        for index in codes {
            let entry = catalog.codes[index]
            for modifier in entry.modifierNotes.keys.sorted() {
                try encoder.beginRow(.codeModifierNote)
                encoder.add(entry.code)
                encoder.add(modifier)
                encoder.add(entry.modifierNotes[modifier])
                try encoder.endRow()
            }
        }

        // RVU rows of every variant, by (hcpcs, modifier, variant).
        for (variant, index) in rvuOrder {
            guard let r = release.rvu[variant]?[index] else { continue }
            try encoder.beginRow(.rvu)
            encoder.add(r.hcpcs)
            encoder.add(r.modifier)
            encoder.add(variant.rawValue)
            encoder.add(r.status)
            encoder.add(r.notUsedForMedicarePayment)
            encoder.add(r.workRVU)
            encoder.add(r.nonfacilityPE)
            encoder.add(r.nonfacilityNA)
            encoder.add(r.facilityPE)
            encoder.add(r.facilityNA)
            encoder.add(r.mpRVU)
            encoder.add(r.nonfacilityTotal)
            encoder.add(r.facilityTotal)
            encoder.add(r.pctc)
            encoder.add(r.globalDays)
            encoder.add(r.preOp)
            encoder.add(r.intraOp)
            encoder.add(r.postOp)
            encoder.add(r.multProc)
            encoder.add(r.bilatSurg)
            encoder.add(r.asstSurg)
            encoder.add(r.coSurg)
            encoder.add(r.teamSurg)
            encoder.add(r.pricingIndicator)
            encoder.add(r.endoBase)
            encoder.add(r.conversionFactor)
            encoder.add(r.supervision)
            encoder.add(r.calculationFlag)
            encoder.add(r.imagingFamily)
            encoder.add(r.oppsNonfacilityPE)
            encoder.add(r.oppsFacilityPE)
            encoder.add(r.oppsMP)
            try encoder.endRow()
        }

        // Localities: GPCI and anesthesia joined by MAC and locality (the first record of a key wins).
        var gpci: [String: GPCIRecord] = [:]
        for record in release.gpci { gpci["\(record.mac)/\(record.locality)"] = record }
        let anesthesia = Dictionary(release.anesthesia.map { ("\($0.mac)/\($0.locality)", $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(gpci.keys).union(anesthesia.keys).sorted() {
            let g = gpci[key]
            let a = anesthesia[key]
            try encoder.beginRow(.locality)
            encoder.add(g?.mac ?? a?.mac)
            encoder.add(g?.locality ?? a?.locality)
            encoder.add(g?.state ?? "")
            encoder.add(g?.name ?? a?.name ?? "")
            encoder.add(g?.workGPCI)
            encoder.add(g?.workGPCIWithoutFloor)
            encoder.add(g?.peGPCI)
            encoder.add(g?.mpGPCI)
            encoder.add(a?.conversionFactor)
            encoder.add(a?.qppConversionFactor)
            try encoder.endRow()
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
            try encoder.beginRow(.localityCounty)
            encoder.add(r.mac)
            encoder.add(r.locality)
            encoder.add(r.state)
            encoder.add(r.feeScheduleArea)
            encoder.add(r.counties)
            try encoder.endRow()
        }

        let caps = release.oppsCaps
        for index in capOrder {
            let r = caps[index]
            try encoder.beginRow(.oppsCap)
            encoder.add(r.hcpcs)
            encoder.add(r.modifier)
            encoder.add(r.mac)
            encoder.add(r.locality)
            encoder.add(r.status)
            encoder.add(r.facilityPrice)
            encoder.add(r.nonfacilityPrice)
            try encoder.endRow()
        }

        let payments = catalog.payments
        for index in paymentOrder {
            let p = payments[index]
            try encoder.beginRow(.nationalPayment)
            encoder.add(p.hcpcs)
            encoder.add(p.modifier)
            encoder.add(p.variant.rawValue)
            encoder.add(p.nonfacility)
            encoder.add(p.facility)
            try encoder.endRow()
        }

    }

    /// The catalog's version: its rows, in dump order, through the version hash (what the writer
    /// computes beside its inserts; ``CatalogHasher``).
    func version(columns: [[String]], releaseID: String) -> String {
        var sink = CatalogVersionSink(columns: columns)
        encode(into: &sink)
        return sink.finalize(releaseID: releaseID)
    }

    /// Sends the rows of the search index to `encoder`, after every table's rows.
    func encodeSearchRows(into encoder: inout CatalogRowEncoder) throws {
        try forEachSearchRow { rowid, row in
            try encoder.beginSearchRow()
            encoder.add(rowid)
            row.forEach { encoder.add($0) }
            try encoder.endRow()
        }
    }

    /// Where a search row goes: its rowid, then the index's six columns.
    static let searchInsertTarget = "code_search(rowid, code, title, synonyms, description, plain_language, clinical_context)"

    /// The rows of the search index (`code_search`), in code order: every code, so that one
    /// without a title is found by its number. Each has the rowid of its `code` row (the codes
    /// are inserted in this order into an empty table: 1, 2, 3, ...), and the text the view
    /// `code_search_source` gives for it (synonyms joined by `; `).
    func forEachSearchRow(_ body: (Int, [String?]) throws -> Void) rethrows {
        for (position, index) in codeOrder.enumerated() {
            let entry = catalog.codes[index]
            try body(
                position + 1,
                [
                    entry.code, entry.title, entry.synonyms.joined(separator: "; "), entry.description, entry.plainLanguage,
                    entry.clinicalContext,
                ])
        }
    }
}
