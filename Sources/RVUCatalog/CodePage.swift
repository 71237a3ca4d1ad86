import GRDB
import RVUCore

/// What the app's page for one code shows, read from the catalog alone.
public struct CodePage: Sendable {
    /// One PPRRVU row of the code (a modifier and a variant), with its national payment.
    public struct RVURow: Sendable {
        public let modifier: String
        public let variant: String
        public let status: String
        public let workRVU: Double?
        public let nonfacilityPE: Double?
        public let nonfacilityNA: Bool
        public let facilityPE: Double?
        public let facilityNA: Bool
        public let mpRVU: Double?
        public let nonfacilityTotal: Double?
        public let facilityTotal: Double?
        public let globalDays: String
        public let pctc: String
        public let conversionFactor: Double?
        public let nonfacilityPayment: Double?
        public let facilityPayment: Double?
    }

    public let code: String
    public let title: String?
    public let titleSource: String
    public let category: String
    public let categoryName: String
    public let description: String?
    public let plainLanguage: String?
    public let clinicalContext: String?
    public let billingNotes: String?
    public let documentationNotes: String?
    public let inRelease: Bool
    public let synonyms: [String]
    public let specialties: [String]
    public let modifierNotes: [(modifier: String, note: String)]
    public let rows: [RVURow]
    /// `RVU26A`.
    public let releaseID: String
    public let releasedOn: String?
    public let catalogVersion: String?
    /// CMS's descriptor of a CPT or dental code, in a catalog built with licensed descriptors.
    public let cmsDescriptor: String?
    /// `licensed` or `withheld` (`catalog_meta.descriptors`; `withheld` for a catalog older than
    /// schema 4, which never kept them).
    public let descriptors: String
}

extension CatalogReader {
    /// The page of `code`, or nil when the catalog does not have it. Values are decoded with
    /// GRDB's throwing API: a hand-edited or damaged file (a NULL or BLOB where text is expected)
    /// is a `catalog-read` error, never a trap.
    public func page(for code: String) throws(DiagnosticError) -> CodePage? {
        try read { db in
            guard
                let row = try StoredValue.fetchAll(
                    db,
                    sql: "SELECT c.*, k.name AS category_name FROM code c JOIN category k ON k.id = c.category WHERE c.code = ?",
                    arguments: [code], label: "code \(code)"
                ).first
            else { return nil }
            let meta = try CatalogReader.meta(db)
            let rows = try StoredValue.fetchAll(
                db,
                sql: """
                    SELECT r.*, p.nonfacility_amount, p.facility_amount FROM rvu r
                    LEFT JOIN national_payment p ON p.hcpcs = r.hcpcs AND p.modifier = r.modifier AND p.variant = r.variant
                    WHERE r.hcpcs = ? ORDER BY r.variant, r.modifier
                    """, arguments: [code], label: "rvu \(code)"
            ).map { r in
                CodePage.RVURow(
                    modifier: try r.decode(forColumn: "modifier"), variant: try r.decode(forColumn: "variant"),
                    status: try r.decode(forColumn: "status"), workRVU: try r.decode(forColumn: "work_rvu"),
                    nonfacilityPE: try r.decode(forColumn: "nonfacility_pe_rvu"), nonfacilityNA: try r.decode(forColumn: "nonfacility_na"),
                    facilityPE: try r.decode(forColumn: "facility_pe_rvu"),
                    facilityNA: try r.decode(forColumn: "facility_na"), mpRVU: try r.decode(forColumn: "mp_rvu"),
                    nonfacilityTotal: try r.decode(forColumn: "nonfacility_total"),
                    facilityTotal: try r.decode(forColumn: "facility_total"), globalDays: try r.decode(forColumn: "global_days"),
                    pctc: try r.decode(forColumn: "pctc"),
                    conversionFactor: try r.decode(forColumn: "conversion_factor"),
                    nonfacilityPayment: try r.decode(forColumn: "nonfacility_amount"),
                    facilityPayment: try r.decode(forColumn: "facility_amount"))
            }
            return CodePage(
                code: code, title: try row.decode(forColumn: "title"), titleSource: try row.decode(forColumn: "title_source"),
                category: try row.decode(forColumn: "category"),
                categoryName: try row.decode(forColumn: "category_name"), description: try row.decode(forColumn: "description"),
                plainLanguage: try row.decode(forColumn: "plain_language"),
                clinicalContext: try row.decode(forColumn: "clinical_context"), billingNotes: try row.decode(forColumn: "billing_notes"),
                documentationNotes: try row.decode(forColumn: "documentation_notes"), inRelease: try row.decode(forColumn: "in_release"),
                synonyms: try StoredValue.fetchAll(
                    db, sql: "SELECT synonym FROM code_synonym WHERE code = ? ORDER BY position", arguments: [code],
                    label: "code_synonym \(code)"
                ).map { try $0.decode(String.self, atIndex: 0) },
                specialties: try StoredValue.fetchAll(
                    db, sql: "SELECT specialty FROM code_specialty WHERE code = ? ORDER BY specialty", arguments: [code],
                    label: "code_specialty \(code)"
                ).map { try $0.decode(String.self, atIndex: 0) },
                modifierNotes: try StoredValue.fetchAll(
                    db, sql: "SELECT modifier, note FROM code_modifier_note WHERE code = ? ORDER BY modifier", arguments: [code],
                    label: "code_modifier_note \(code)"
                )
                .map { (try $0.decode(String?.self, forColumn: "modifier") ?? "", try $0.decode(String?.self, forColumn: "note") ?? "") },
                rows: rows, releaseID: meta["release_id"] ?? "", releasedOn: meta["released_on"], catalogVersion: meta["catalog_version"],
                cmsDescriptor: try row.decode(forColumn: "cms_descriptor"), descriptors: meta["descriptors"] ?? "withheld")
        }
    }
}
