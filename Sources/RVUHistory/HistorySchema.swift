import GRDB

/// The history file's schema, as migrations that never change once shipped (see docs/history.md).
///
/// Decimals are stored as TEXT exactly as published (`1.30`, `32.7442`), so that an answer needs
/// no column scale and no conversion; dates are ISO text (`2024-03-09`); `effective_to` is the
/// first day a period no longer applies (exclusive), NULL while it is open.
public enum HistorySchema {
    /// The `schema_version` written to `history_meta`.
    public static let version = 1

    /// The RVU value columns of `rvu_period`, in table order (after the key, dates and release).
    public static let rvuValueColumns = [
        "status", "work_rvu", "nonfacility_pe_rvu", "facility_pe_rvu", "mp_rvu", "nonfacility_total", "facility_total",
        "global_days", "conversion_factor", "nonfacility_amount", "facility_amount",
    ]

    /// The value columns of `locality_period`, in table order.
    public static let localityValueColumns = [
        "state", "name", "work_gpci", "work_gpci_without_floor", "pe_gpci", "mp_gpci", "anesthesia_cf", "anesthesia_cf_qpp",
    ]

    /// The migrations creating the schema.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("history-v1") { db in try db.execute(sql: v1) }
        return migrator
    }

    static let v1 = """
        CREATE TABLE history_meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        -- One row per loaded catalog. effective_to is the next loaded release's effective_from
        -- (NULL for the last); equal to effective_from when a later revision taking effect the
        -- same day supersedes it. effective_rule says where effective_from came from.
        CREATE TABLE source_release (
            release_id TEXT PRIMARY KEY NOT NULL,
            revision TEXT NOT NULL,
            catalog_version TEXT NOT NULL,
            released_on TEXT,
            effective_from TEXT NOT NULL,
            effective_to TEXT,
            effective_rule TEXT NOT NULL
        ) WITHOUT ROWID;
        -- Quarters with no loaded release between two loaded ones: answers in them are the
        -- earlier release's values carried forward.
        CREATE TABLE carried_forward_quarter (
            starts_on TEXT PRIMARY KEY NOT NULL,
            ends_on TEXT NOT NULL,
            release_id TEXT NOT NULL
        ) WITHOUT ROWID;
        -- The values of one PPRRVU row over a period; consecutive identical periods merged,
        -- release_id the release whose values begin the period.
        CREATE TABLE rvu_period (
            hcpcs TEXT NOT NULL,
            modifier TEXT NOT NULL,
            variant TEXT NOT NULL,
            effective_from TEXT NOT NULL,
            effective_to TEXT,
            release_id TEXT NOT NULL,
            status TEXT,
            work_rvu TEXT,
            nonfacility_pe_rvu TEXT,
            facility_pe_rvu TEXT,
            mp_rvu TEXT,
            nonfacility_total TEXT,
            facility_total TEXT,
            global_days TEXT,
            conversion_factor TEXT,
            nonfacility_amount TEXT,
            facility_amount TEXT,
            PRIMARY KEY (hcpcs, modifier, variant, effective_from)
        ) WITHOUT ROWID;
        -- GPCIs and anesthesia conversion factors of one locality over a period, the same way.
        CREATE TABLE locality_period (
            mac TEXT NOT NULL,
            locality TEXT NOT NULL,
            effective_from TEXT NOT NULL,
            effective_to TEXT,
            release_id TEXT NOT NULL,
            state TEXT,
            name TEXT,
            work_gpci TEXT,
            work_gpci_without_floor TEXT,
            pe_gpci TEXT,
            mp_gpci TEXT,
            anesthesia_cf TEXT,
            anesthesia_cf_qpp TEXT,
            PRIMARY KEY (mac, locality, effective_from)
        ) WITHOUT ROWID;
        """
}
