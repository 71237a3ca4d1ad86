import RVUCore

/// Joins a release's records with the curated content by HCPCS code.
///
/// - Every code of the PPRRVU files gets a ``CatalogCode``; curated codes missing from the release
///   are kept as content-only entries (`inRelease == false`).
/// - Titles: curated, else CMS's descriptor for HCPCS Level II codes (public text), else none.
///   CMS descriptors of CPT and dental codes are dropped from the records, so that no AMA or ADA
///   text reaches the catalog; with ``DescriptorPolicy/licensed`` they are kept in
///   ``CatalogCode/cmsDescriptor`` first, and title a code that has no curated title.
/// - National payment: `total RVUs × conversion factor`, rounded half up to cents, for status A,
///   R and T only (the readme: only their RVUs are used for payment), per setting unless its NA
///   indicator is set or its RVUs are all zero (then the contractor prices the service).
public enum Merger {
    /// Statuses whose RVUs are used for Medicare payment.
    public static let paidStatuses: Set<String> = ["A", "R", "T"]

    /// The merged catalog; the proprietary descriptors are kept only as `descriptors` allows.
    public static func merge(
        _ release: ReleaseData, curated: CuratedContent, descriptors: DescriptorPolicy = .withheld
    ) -> MergedCatalog {
        let merged = codes(of: release, curated: curated, descriptors: descriptors)
        var catalog = MergedCatalog(
            release: release, descriptors: descriptors, codes: merged.codes,
            categoryNotes: curated.categories.values.sorted { $0.category < $1.category },
            payments: payments(of: release), coverage: merged.coverage, curatedRevision: curated.revision)
        catalog.blankProprietaryDescriptors()
        return catalog
    }

    /// Every PPRRVU row's national payment, variants in name order.
    static func payments(of release: ReleaseData) -> [NationalPayment] {
        var payments: [NationalPayment] = []
        payments.reserveCapacity(release.rvu.values.reduce(0) { $0 + $1.count })
        for variant in release.rvu.keys.sorted() {
            for record in release.rvu[variant] ?? [] {
                payments.append(nationalPayment(record, variant: variant))
            }
        }
        return payments
    }

    /// A page per code, and the coverage.
    static func codes(
        of release: ReleaseData, curated: CuratedContent, descriptors: DescriptorPolicy = .withheld
    ) -> (codes: [CatalogCode], coverage: CoverageReport) {
        let licensed = descriptors == .licensed
        var cmsTitles: [String: String] = [:]
        for variant in release.rvu.keys.sorted() {
            guard let records = release.rvu[variant] else { continue }
            for index in records.indices where licensed || !(CodeCategory.of(records[index].hcpcs)?.descriptorIsProprietary ?? true) {
                let code = records[index].hcpcs
                // The descriptor of the row without a modifier names the code best.
                if !records[index].description.isEmpty, records[index].modifier.isEmpty || cmsTitles[code] == nil {
                    cmsTitles[code] = records[index].description
                }
            }
        }
        let releaseCodes = Set(release.rvu.values.joined().map(\.hcpcs))
        var codes: [CatalogCode] = []
        // The coverage is counted in the same pass, in code order (filtering the sets took a
        // third of the merge).
        var uncurated: [String] = []
        var curatedNotInRelease: [String] = []
        var curatedInRelease = 0
        for code in releaseCodes.union(curated.entries.keys).sorted() {
            let entry = curated.entries[code]
            let inRelease = releaseCodes.contains(code)
            switch (inRelease, entry != nil) {
            case (true, false): uncurated.append(code)
            case (false, true): curatedNotInRelease.append(code)
            case (true, true): curatedInRelease += 1
            case (false, false): break
            }
            guard let category = CodeCategory.of(code) ?? fallbackCategory(code) else { continue }
            let notes = curated.categories[category.id]
            var title = entry?.title
            var source: CatalogCode.TitleSource = entry == nil ? .none : .curated
            // Only a code of a known form: the text of one of unknown form is not known to be
            // CPT or CDT text, which is all the licences cover.
            let proprietary = category.descriptorIsProprietary
            let cmsDescriptor = proprietary && licensed && CodeCategory.of(code) != nil ? cmsTitles[code] : nil
            if title == nil, let cms = proprietary ? cmsDescriptor : cmsTitles[code] {
                title = cms
                source = .cms
            }
            codes.append(
                CatalogCode(
                    code: code, title: title, titleSource: source, category: category, description: entry?.description,
                    plainLanguage: entry?.plainLanguage, clinicalContext: entry?.clinicalContext,
                    billingNotes: entry?.billingNotes ?? notes?.billingNotes,
                    documentationNotes: entry?.documentationNotes ?? notes?.documentationNotes,
                    inRelease: inRelease, synonyms: entry?.alsoKnownAs ?? [],
                    specialties: entry?.specialties ?? [], modifierNotes: entry?.modifierNotes ?? [:], cmsDescriptor: cmsDescriptor))
        }
        let coverage = CoverageReport(
            uncurated: uncurated, curatedNotInRelease: curatedNotInRelease, releaseCodes: releaseCodes.count,
            curatedInRelease: curatedInRelease)
        return (codes, coverage)
    }

    /// A code of unknown form still gets a page, in an `other` category whose text is not trusted.
    static func fallbackCategory(_ code: String) -> CodeCategory? {
        CodeCategory.of(code) ?? CodeCategory.unknown
    }

    /// The national payment of one PPRRVU row.
    public static func nationalPayment(_ record: RVURecord, variant: Variant) -> NationalPayment {
        var payment = NationalPayment(hcpcs: record.hcpcs, modifier: record.modifier, variant: variant)
        guard paidStatuses.contains(record.status), let factor = record.conversionFactor else { return payment }
        let work = record.workRVU ?? .zero
        let mp = record.mpRVU ?? .zero
        // No RVUs, nothing to pay on: such codes (restricted dental codes, for example) are
        // priced by the contractor.
        if !record.nonfacilityNA, let pe = record.nonfacilityPE, work + pe + mp != .zero {
            payment.nonfacility = ((work + pe + mp) * factor).rounded(toScale: 2)
        }
        if !record.facilityNA, let pe = record.facilityPE, work + pe + mp != .zero {
            payment.facility = ((work + pe + mp) * factor).rounded(toScale: 2)
        }
        return payment
    }
}

extension MergedCatalog {
    /// Blanks the PPRRVU descriptors of CPT and dental codes (the AMA's and the ADA's text), so
    /// that none reaches the catalog or anything else made from the merged records. In place
    /// when this catalog holds the only copy of the records.
    mutating func blankProprietaryDescriptors() {
        for variant in release.rvu.keys.sorted() {
            guard var records = release.rvu[variant] else { continue }
            release.rvu[variant] = nil
            for index in records.indices where CodeCategory.of(records[index].hcpcs)?.descriptorIsProprietary ?? true {
                records[index].description = ""
            }
            release.rvu[variant] = records
        }
    }
}

extension NationalPayment {
    init(hcpcs: String, modifier: String, variant: Variant) {
        self.init(hcpcs: hcpcs, modifier: modifier, variant: variant, nonfacility: nil, facility: nil)
    }
}

extension CodeCategory {
    /// Codes of a form not recognised; their CMS text is treated as proprietary.
    static let unknown = CodeCategory(id: "other", name: "Other", codeSet: .cpt)
}
