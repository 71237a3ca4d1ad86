import RVUCore

/// One code's page in the catalog: curated text where editors wrote it, CMS's public HCPCS
/// Level II descriptor as a fallback title, and the AMA's (CPT) or ADA's (CDT) text only in a
/// catalog built with licensed descriptors.
public struct CatalogCode: Sendable, Hashable {
    /// Where a code's title comes from.
    public enum TitleSource: String, Sendable, Hashable {
        /// Written by the company's editors.
        case curated
        /// CMS's descriptor: public HCPCS Level II text, or, in a catalog built with licensed
        /// descriptors (``DescriptorPolicy/licensed``), the AMA's CPT or the ADA's CDT text.
        case cms
        /// No title: an uncurated CPT or dental code.
        case none
    }

    public var code: String
    public var title: String?
    public var titleSource: TitleSource
    public var category: CodeCategory
    public var description: String?
    public var plainLanguage: String?
    public var clinicalContext: String?
    /// Billing and documentation notes: the code's own, else its category's.
    public var billingNotes: String?
    public var documentationNotes: String?
    /// True when the code is in the release's PPRRVU file; false for content-only entries.
    public var inRelease: Bool
    public var synonyms: [String]
    public var specialties: [String]
    public var modifierNotes: [String: String]
    /// CMS's descriptor of a CPT or dental code, kept only with ``DescriptorPolicy/licensed``;
    /// nil otherwise, and always for HCPCS Level II codes (their descriptor is the fallback title).
    public var cmsDescriptor: String? = nil
}

/// National payment for one PPRRVU row, in dollars rounded to cents.
public struct NationalPayment: Sendable, Hashable {
    public var hcpcs: String
    public var modifier: String
    public var variant: Variant
    /// Nil when the status is not paid on RVUs or the non-facility NA indicator is set.
    public var nonfacility: ExactDecimal?
    /// Nil when the status is not paid on RVUs or the facility NA indicator is set.
    public var facility: ExactDecimal?
}

/// What the merge found about curated coverage.
public struct CoverageReport: Sendable, Hashable {
    /// Codes in the release that editors have not curated.
    public var uncurated: [String]
    /// Curated codes absent from the release, kept as content-only entries.
    public var curatedNotInRelease: [String]
    /// Codes in the release.
    public var releaseCodes: Int
    /// Codes of the release that have curated content.
    public var curatedInRelease: Int
}

/// The release joined with the curated content: everything the catalog holds.
public struct MergedCatalog: Sendable {
    /// The release's records. PPRRVU descriptions of CPT and dental codes are blanked here.
    public var release: ReleaseData
    /// Whether CPT and dental descriptors are kept (in ``CatalogCode/cmsDescriptor``).
    public var descriptors: DescriptorPolicy = .withheld
    public var codes: [CatalogCode]
    public var categoryNotes: [CategoryNotes]
    public var payments: [NationalPayment]
    public var coverage: CoverageReport
    public var curatedRevision: String
}
