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
    /// The code set of the category: `cpt`, `cdt` or `hcpcs` (whose trademark notice applies).
    public let codeSet: String
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
        try read { db in try Self.pages(db, code: code).first }
    }

    /// Every code's page, in code order, read in one query a table (not one set of queries a
    /// code): what the preview site renders.
    public func pages() throws(DiagnosticError) -> [CodePage] {
        try read { db in try Self.pages(db, code: nil) }
    }

    /// The pages of one code, or of every code when `code` is nil.
    static func pages(_ db: Database, code: String?) throws -> [CodePage] {
        let meta = try CatalogReader.meta(db)
        let filter = code == nil ? "" : "WHERE c.code = ?"
        let arguments: StatementArguments = code.map { [$0] } ?? []
        let label = code.map { " \($0)" } ?? ""
        /// The rows of a per-code table, grouped by code.
        func grouped<T>(_ sql: String, _ table: String, _ decode: (Row) throws -> T) throws -> [String: [T]] {
            var groups: [String: [T]] = [:]
            for row in try StoredValue.fetchAll(db, sql: sql, arguments: arguments, label: table + label) {
                groups[try row.decode(String.self, atIndex: 0), default: []].append(try decode(row))
            }
            return groups
        }
        let rows = try grouped(
            """
            SELECT r.hcpcs, r.*, p.nonfacility_amount, p.facility_amount FROM rvu r
            LEFT JOIN national_payment p ON p.hcpcs = r.hcpcs AND p.modifier = r.modifier AND p.variant = r.variant
            \(code == nil ? "" : "WHERE r.hcpcs = ?") ORDER BY r.hcpcs, r.variant, r.modifier
            """, "rvu"
        ) { r in
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
        let synonyms = try grouped(
            "SELECT code, synonym FROM code_synonym c \(filter) ORDER BY code, position", "code_synonym"
        ) { try $0.decode(String.self, atIndex: 1) }
        let specialties = try grouped(
            "SELECT code, specialty FROM code_specialty c \(filter) ORDER BY code, specialty", "code_specialty"
        ) { try $0.decode(String.self, atIndex: 1) }
        let notes = try grouped(
            "SELECT code, modifier, note FROM code_modifier_note c \(filter) ORDER BY code, modifier", "code_modifier_note"
        ) { (try $0.decode(String?.self, forColumn: "modifier") ?? "", try $0.decode(String?.self, forColumn: "note") ?? "") }
        return try StoredValue.fetchAll(
            db,
            sql: """
                SELECT c.*, k.name AS category_name, k.code_set AS code_set FROM code c JOIN category k ON k.id = c.category
                \(filter) ORDER BY c.code
                """,
            arguments: arguments, label: "code" + label
        ).map { row in
            let code: String = try row.decode(forColumn: "code")
            return CodePage(
                code: code, title: try row.decode(forColumn: "title"), titleSource: try row.decode(forColumn: "title_source"),
                category: try row.decode(forColumn: "category"),
                categoryName: try row.decode(forColumn: "category_name"), codeSet: try row.decode(forColumn: "code_set"),
                description: try row.decode(forColumn: "description"),
                plainLanguage: try row.decode(forColumn: "plain_language"),
                clinicalContext: try row.decode(forColumn: "clinical_context"), billingNotes: try row.decode(forColumn: "billing_notes"),
                documentationNotes: try row.decode(forColumn: "documentation_notes"), inRelease: try row.decode(forColumn: "in_release"),
                synonyms: synonyms[code] ?? [], specialties: specialties[code] ?? [], modifierNotes: notes[code] ?? [],
                rows: rows[code] ?? [], releaseID: meta["release_id"] ?? "", releasedOn: meta["released_on"],
                catalogVersion: meta["catalog_version"], cmsDescriptor: try row.decode(forColumn: "cms_descriptor"),
                descriptors: meta["descriptors"] ?? "withheld")
        }
    }
}
