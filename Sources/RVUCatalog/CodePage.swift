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
}

extension CatalogReader {
    /// The page of `code`, or nil when the catalog does not have it.
    public func page(for code: String) throws(DiagnosticError) -> CodePage? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT c.*, k.name AS category_name FROM code c JOIN category k ON k.id = c.category WHERE c.code = ?",
                    arguments: [code])
            else { return nil }
            let meta = try CatalogReader.meta(db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, p.nonfacility_amount, p.facility_amount FROM rvu r
                    LEFT JOIN national_payment p ON p.hcpcs = r.hcpcs AND p.modifier = r.modifier AND p.variant = r.variant
                    WHERE r.hcpcs = ? ORDER BY r.variant, r.modifier
                    """, arguments: [code]
            ).map { r in
                CodePage.RVURow(
                    modifier: r["modifier"], variant: r["variant"], status: r["status"], workRVU: r["work_rvu"],
                    nonfacilityPE: r["nonfacility_pe_rvu"], nonfacilityNA: r["nonfacility_na"], facilityPE: r["facility_pe_rvu"],
                    facilityNA: r["facility_na"], mpRVU: r["mp_rvu"], nonfacilityTotal: r["nonfacility_total"],
                    facilityTotal: r["facility_total"], globalDays: r["global_days"], pctc: r["pctc"],
                    conversionFactor: r["conversion_factor"], nonfacilityPayment: r["nonfacility_amount"],
                    facilityPayment: r["facility_amount"])
            }
            return CodePage(
                code: code, title: row["title"], titleSource: row["title_source"], category: row["category"],
                categoryName: row["category_name"], description: row["description"], plainLanguage: row["plain_language"],
                clinicalContext: row["clinical_context"], billingNotes: row["billing_notes"],
                documentationNotes: row["documentation_notes"], inRelease: row["in_release"],
                synonyms: try String.fetchAll(
                    db, sql: "SELECT synonym FROM code_synonym WHERE code = ? ORDER BY position", arguments: [code]),
                specialties: try String.fetchAll(
                    db, sql: "SELECT specialty FROM code_specialty WHERE code = ? ORDER BY specialty", arguments: [code]),
                modifierNotes: try Row.fetchAll(
                    db, sql: "SELECT modifier, note FROM code_modifier_note WHERE code = ? ORDER BY modifier", arguments: [code]
                )
                .map { (($0["modifier"] as String?) ?? "", ($0["note"] as String?) ?? "") },
                rows: rows, releaseID: meta["release_id"] ?? "", releasedOn: meta["released_on"], catalogVersion: meta["catalog_version"])
        }
    }
}
