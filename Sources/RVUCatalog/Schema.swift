import GRDB

/// The catalog's schema, as migrations that never change once shipped: a change is a new
/// migration appended to ``migrator``, and ``version`` goes up with it.
public enum Schema {
    /// The `schema_version` written to `catalog_meta`.
    public static let version = 5

    /// The published number of decimal places of every REAL column, so that readers print
    /// `1.30` as published (also stored in the `column_scale` table).
    public static let scales: [(table: String, column: String, scale: Int)] = [
        ("rvu", "work_rvu", 2), ("rvu", "nonfacility_pe_rvu", 2), ("rvu", "facility_pe_rvu", 2), ("rvu", "mp_rvu", 2),
        ("rvu", "nonfacility_total", 2), ("rvu", "facility_total", 2), ("rvu", "pre_op", 2), ("rvu", "intra_op", 2),
        ("rvu", "post_op", 2), ("rvu", "conversion_factor", 4), ("rvu", "opps_nonfacility_pe_rvu", 2),
        ("rvu", "opps_facility_pe_rvu", 2), ("rvu", "opps_mp_rvu", 2),
        ("locality", "work_gpci", 3), ("locality", "work_gpci_without_floor", 3), ("locality", "pe_gpci", 3),
        ("locality", "mp_gpci", 3), ("locality", "anesthesia_cf", 2), ("locality", "anesthesia_cf_qpp", 2),
        ("opps_cap", "facility_price", 2), ("opps_cap", "nonfacility_price", 2),
        ("national_payment", "nonfacility_amount", 2), ("national_payment", "facility_amount", 2),
    ]

    /// The migrations creating the schema.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: v5)
        }
        return migrator
    }

    /// v5: the search index keeps no copy of the text it indexes. It is an FTS5 index with
    /// external content: its rows are the `code` rows (the same rowid), and the text it returns
    /// comes from the view `code_search_source` (a code's synonyms joined by `; ` in their order).
    /// The copy it kept before was a quarter of a catalog with a full curated corpus (13.5 of
    /// 53 MB for RVU24B); the index itself is unchanged, and so are its columns and answers.
    static let v5 = """
        DROP TABLE code_search;
        CREATE VIEW code_search_source AS
        SELECT c.rowid AS rowid, c.code AS code, c.title AS title,
            (SELECT group_concat(s.synonym, '; ') FROM
                (SELECT synonym FROM code_synonym WHERE code = c.code ORDER BY position) s) AS synonyms,
            c.description AS description, c.plain_language AS plain_language, c.clinical_context AS clinical_context
        FROM code c;
        CREATE VIRTUAL TABLE code_search USING fts5(
            code, title, synonyms, description, plain_language, clinical_context,
            content = 'code_search_source', content_rowid = 'rowid'
        );
        """

    /// v4: `code.cms_descriptor`, CMS's descriptor of a CPT or dental code, kept only in a catalog
    /// built with licensed descriptors (NULL otherwise, and always for HCPCS Level II codes, whose
    /// public descriptor is the fallback title); and a search index that also indexes the code
    /// itself, with a row for every code (a code without a title is found by its number).
    static let v4 = """
        ALTER TABLE code ADD COLUMN cms_descriptor TEXT;
        DROP TABLE code_search;
        CREATE VIRTUAL TABLE code_search USING fts5(
            code, title, synonyms, description, plain_language, clinical_context
        );
        """

    /// v3: `release_member.rows` is NULL for a member that was listed but not parsed (`--verify`
    /// reads the XLSX members only when asked, or when they are the best format present).
    static let v3 = """
        CREATE TABLE release_member_v3 (
            name TEXT PRIMARY KEY NOT NULL,
            dataset TEXT NOT NULL CHECK (dataset IN ('pprrvu', 'gpci', 'locco', 'anes', 'oppscap')),
            variant TEXT NOT NULL CHECK (variant IN ('general', 'qpp')),
            format TEXT NOT NULL CHECK (format IN ('csv', 'txt', 'xlsx')),
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            rows INTEGER
        );
        INSERT INTO release_member_v3 SELECT * FROM release_member;
        DROP TABLE release_member;
        ALTER TABLE release_member_v3 RENAME TO release_member;
        """

    /// v2: `code.title_source` checked by comparisons instead of an `IN` list. SQLite evaluates an
    /// `IN` list of three or more constants in a CHECK through a temporary index built for every
    /// row inserted: more than half the cost of loading the table. The same rule, the same table
    /// otherwise (rebuilt as SQLite documents for changing a constraint; the catalog is always
    /// built empty, so nothing is copied).
    static let v2 = """
        CREATE TABLE code_v2 (
            code TEXT PRIMARY KEY NOT NULL,
            title TEXT,
            title_source TEXT NOT NULL CHECK (title_source = 'curated' OR title_source = 'cms' OR title_source = 'none'),
            category TEXT NOT NULL REFERENCES category (id),
            description TEXT,
            plain_language TEXT,
            clinical_context TEXT,
            billing_notes TEXT,
            documentation_notes TEXT,
            in_release INTEGER NOT NULL CHECK (in_release IN (0, 1))
        );
        INSERT INTO code_v2 SELECT * FROM code;
        DROP TABLE code;
        ALTER TABLE code_v2 RENAME TO code;
        """

    static let v1 = """
        CREATE TABLE catalog_meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        CREATE TABLE column_scale (
            table_name TEXT NOT NULL,
            column_name TEXT NOT NULL,
            scale INTEGER NOT NULL,
            PRIMARY KEY (table_name, column_name)
        );
        CREATE TABLE release_member (
            name TEXT PRIMARY KEY NOT NULL,
            dataset TEXT NOT NULL CHECK (dataset IN ('pprrvu', 'gpci', 'locco', 'anes', 'oppscap')),
            variant TEXT NOT NULL CHECK (variant IN ('general', 'qpp')),
            format TEXT NOT NULL CHECK (format IN ('csv', 'txt', 'xlsx')),
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            rows INTEGER NOT NULL
        );
        CREATE TABLE category (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            code_set TEXT NOT NULL CHECK (code_set IN ('cpt', 'cdt', 'hcpcs')),
            billing_notes TEXT,
            documentation_notes TEXT
        );
        CREATE TABLE code (
            code TEXT PRIMARY KEY NOT NULL,
            title TEXT,
            title_source TEXT NOT NULL CHECK (title_source IN ('curated', 'cms', 'none')),
            category TEXT NOT NULL REFERENCES category (id),
            description TEXT,
            plain_language TEXT,
            clinical_context TEXT,
            billing_notes TEXT,
            documentation_notes TEXT,
            in_release INTEGER NOT NULL CHECK (in_release IN (0, 1))
        );
        CREATE TABLE code_synonym (
            code TEXT NOT NULL REFERENCES code (code),
            synonym TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (code, synonym)
        );
        CREATE TABLE code_specialty (
            code TEXT NOT NULL REFERENCES code (code),
            specialty TEXT NOT NULL,
            PRIMARY KEY (code, specialty)
        );
        CREATE TABLE code_modifier_note (
            code TEXT NOT NULL REFERENCES code (code),
            modifier TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (code, modifier)
        );
        CREATE TABLE rvu (
            hcpcs TEXT NOT NULL,
            modifier TEXT NOT NULL DEFAULT '',
            variant TEXT NOT NULL CHECK (variant IN ('general', 'qpp')),
            status TEXT NOT NULL,
            not_used_for_medicare_payment INTEGER NOT NULL CHECK (not_used_for_medicare_payment IN (0, 1)),
            work_rvu REAL,
            nonfacility_pe_rvu REAL,
            nonfacility_na INTEGER NOT NULL CHECK (nonfacility_na IN (0, 1)),
            facility_pe_rvu REAL,
            facility_na INTEGER NOT NULL CHECK (facility_na IN (0, 1)),
            mp_rvu REAL,
            nonfacility_total REAL,
            facility_total REAL,
            pctc TEXT NOT NULL,
            global_days TEXT NOT NULL,
            pre_op REAL,
            intra_op REAL,
            post_op REAL,
            mult_proc TEXT NOT NULL,
            bilat_surg TEXT NOT NULL,
            asst_surg TEXT NOT NULL,
            co_surg TEXT NOT NULL,
            team_surg TEXT NOT NULL,
            pricing_indicator TEXT,
            endo_base TEXT NOT NULL,
            conversion_factor REAL,
            supervision TEXT NOT NULL,
            calculation_flag TEXT NOT NULL,
            imaging_family TEXT NOT NULL,
            opps_nonfacility_pe_rvu REAL,
            opps_facility_pe_rvu REAL,
            opps_mp_rvu REAL,
            PRIMARY KEY (hcpcs, modifier, variant)
        );
        CREATE TABLE locality (
            mac TEXT NOT NULL,
            locality TEXT NOT NULL,
            state TEXT NOT NULL,
            name TEXT NOT NULL,
            work_gpci REAL,
            work_gpci_without_floor REAL,
            pe_gpci REAL,
            mp_gpci REAL,
            anesthesia_cf REAL,
            anesthesia_cf_qpp REAL,
            PRIMARY KEY (mac, locality)
        );
        CREATE TABLE locality_county (
            mac TEXT NOT NULL,
            locality TEXT NOT NULL,
            state TEXT NOT NULL,
            fee_schedule_area TEXT NOT NULL,
            counties TEXT NOT NULL,
            PRIMARY KEY (mac, locality, state, fee_schedule_area)
        );
        CREATE TABLE opps_cap (
            hcpcs TEXT NOT NULL,
            modifier TEXT NOT NULL DEFAULT '',
            mac TEXT NOT NULL,
            locality TEXT NOT NULL,
            status TEXT NOT NULL,
            facility_price REAL NOT NULL,
            nonfacility_price REAL NOT NULL,
            PRIMARY KEY (hcpcs, modifier, mac, locality)
        );
        CREATE TABLE national_payment (
            hcpcs TEXT NOT NULL,
            modifier TEXT NOT NULL DEFAULT '',
            variant TEXT NOT NULL CHECK (variant IN ('general', 'qpp')),
            nonfacility_amount REAL,
            facility_amount REAL,
            PRIMARY KEY (hcpcs, modifier, variant)
        );
        -- Payment in any locality: GPCIs applied to the RVUs, times the conversion factor, capped by
        -- the OPPS amount where OPPSCAP lists the code for the locality (the lesser of the two).
        -- Uses work_gpci (the value CMS prints first: with the 1.0 floor where the file has one).
        -- REAL arithmetic: may differ from an exact computation by a cent at a half-cent boundary.
        CREATE VIEW locality_payment AS
        SELECT r.hcpcs, r.modifier, r.variant, l.mac, l.locality,
            CASE WHEN r.status IN ('A', 'R', 'T') AND r.nonfacility_na = 0 THEN
                ROUND(MIN((r.work_rvu * l.work_gpci + r.nonfacility_pe_rvu * l.pe_gpci + r.mp_rvu * l.mp_gpci)
                    * r.conversion_factor, COALESCE(o.nonfacility_price, 1e308)) + 1e-9, 2) END AS nonfacility_amount,
            CASE WHEN r.status IN ('A', 'R', 'T') AND r.facility_na = 0 THEN
                ROUND(MIN((r.work_rvu * l.work_gpci + r.facility_pe_rvu * l.pe_gpci + r.mp_rvu * l.mp_gpci)
                    * r.conversion_factor, COALESCE(o.facility_price, 1e308)) + 1e-9, 2) END AS facility_amount,
            o.hcpcs IS NOT NULL AS opps_capped
        FROM rvu r
        CROSS JOIN locality l
        LEFT JOIN opps_cap o ON o.hcpcs = r.hcpcs AND o.modifier = r.modifier AND o.mac = l.mac AND o.locality = l.locality
        WHERE l.work_gpci IS NOT NULL;
        CREATE VIRTUAL TABLE code_search USING fts5(
            code UNINDEXED, title, synonyms, description, plain_language, clinical_context
        );
        """
}
