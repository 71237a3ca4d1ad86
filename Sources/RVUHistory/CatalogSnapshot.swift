import GRDB
import RVUCatalog
import RVUCore

/// The key of one PPRRVU row: code, modifier (empty for none) and variant (`general`, `qpp`).
public struct RVUKey: PeriodKey {
    static let columnNames = ["hcpcs", "modifier", "variant"]
    var columns: [String] { [hcpcs, modifier, variant] }

    public let hcpcs: String
    public let modifier: String
    public let variant: String

    public init(hcpcs: String, modifier: String, variant: String) {
        self.hcpcs = hcpcs
        self.modifier = modifier
        self.variant = variant
    }

    public static func < (lhs: RVUKey, rhs: RVUKey) -> Bool {
        (lhs.hcpcs, lhs.modifier, lhs.variant) < (rhs.hcpcs, rhs.modifier, rhs.variant)
    }
}

/// The key of one locality: MAC and locality number.
public struct LocalityKey: PeriodKey {
    public let mac: String
    public let locality: String
    static let columnNames = ["mac", "locality"]
    var columns: [String] { [mac, locality] }

    public static func < (lhs: LocalityKey, rhs: LocalityKey) -> Bool { (lhs.mac, lhs.locality) < (rhs.mac, rhs.locality) }
}

/// What the history takes from one catalog: its release, and the values of every RVU row and
/// locality as published text (`1.30`; REAL columns printed at the catalog's `column_scale`).
public struct CatalogSnapshot: Sendable {
    public let release: ReleaseID
    public let catalogVersion: String
    /// ISO date of the PPRRVU file's RELEASED line, when the catalog has it.
    public let releasedOn: String?
    /// RVU rows sorted by key; values in ``HistorySchema/rvuValueColumns`` order.
    let rvu: [(key: RVUKey, values: [String?])]
    /// Localities sorted by key; values in ``HistorySchema/localityValueColumns`` order.
    let localities: [(key: LocalityKey, values: [String?])]

    /// Reads the catalog at `path`. A file that is not a catalog, or whose release id cannot be
    /// read, is a `catalog-read` error naming the file.
    public static func read(_ path: String) throws(DiagnosticError) -> CatalogSnapshot {
        let reader = try CatalogReader(path: path)
        let location = SourceLocation(file: path)
        return try reader.read { db throws -> CatalogSnapshot in
            let meta = try CatalogReader.meta(db)
            guard let short = meta["release_id"], let version = meta["catalog_version"] else {
                throw DiagnosticError(.catalogRead, "the catalog has no release_id or catalog_version in catalog_meta", at: location)
            }
            let release: ReleaseID
            do throws(ReleaseIDError) {
                release = try releaseID(short: short, revision: meta["release_revision"] ?? "original")
            } catch {
                throw DiagnosticError(.catalogRead, "catalog_meta release_id: \(error.message)", at: location)
            }
            var scales: [String: Int] = [:]
            for row in try StoredValue.fetchAll(db, sql: "SELECT * FROM column_scale", label: "column_scale") {
                let table: String = try row.decode(forColumn: "table_name")
                let column: String = try row.decode(forColumn: "column_name")
                scales["\(table).\(column)"] = try row.decode(Int.self, forColumn: "scale")
            }
            let rvu = try rows(
                db,
                sql: """
                    SELECT r.hcpcs, r.modifier, r.variant, r.status, r.work_rvu, r.nonfacility_pe_rvu, r.facility_pe_rvu, r.mp_rvu,
                        r.nonfacility_total, r.facility_total, r.global_days, r.conversion_factor, p.nonfacility_amount, p.facility_amount
                    FROM rvu r LEFT JOIN national_payment p ON p.hcpcs = r.hcpcs AND p.modifier = r.modifier AND p.variant = r.variant
                    ORDER BY r.hcpcs, r.modifier, r.variant
                    """,
                keyColumns: 3,
                scales: [nil, nil, nil, nil]
                    + ["work_rvu", "nonfacility_pe_rvu", "facility_pe_rvu", "mp_rvu", "nonfacility_total"].map {
                        scales["rvu.\($0)"]
                    } + [scales["rvu.facility_total"], nil, scales["rvu.conversion_factor"]]
                    + [scales["national_payment.nonfacility_amount"], scales["national_payment.facility_amount"]],
                label: "rvu"
            ).map { (key: RVUKey(hcpcs: $0.key[0], modifier: $0.key[1], variant: $0.key[2]), values: $0.values) }
            let localities = try rows(
                db,
                sql: """
                    SELECT mac, locality, state, name, work_gpci, work_gpci_without_floor, pe_gpci, mp_gpci, anesthesia_cf,
                        anesthesia_cf_qpp
                    FROM locality ORDER BY mac, locality
                    """,
                keyColumns: 2,
                scales: [nil, nil, nil, nil]
                    + ["work_gpci", "work_gpci_without_floor", "pe_gpci", "mp_gpci", "anesthesia_cf", "anesthesia_cf_qpp"].map {
                        scales["locality.\($0)"]
                    },
                label: "locality"
            ).map { (key: LocalityKey(mac: $0.key[0], locality: $0.key[1]), values: $0.values) }
            let releasedOn = meta["released_on"].flatMap { $0.isEmpty ? nil : $0 }
            return CatalogSnapshot(release: release, catalogVersion: version, releasedOn: releasedOn, rvu: rvu, localities: localities)
        }
    }

    /// The release id a catalog names: its short id (`RVU24AR`) with the revision it was imported
    /// as (`updated 2024-04-01`).
    static func releaseID(short: String, revision: String) throws(ReleaseIDError) -> ReleaseID {
        let base = try ReleaseID(parsing: short)
        let date = revision.split(separator: " ").last.flatMap { CalendarDate(iso: $0) }
        return ReleaseID(year: base.year, quarter: base.quarter, isCorrection: base.isCorrection, repostedOn: date)
    }

    /// The rows of a query: the first `keyColumns` as text, the rest as published text (a REAL at
    /// its scale), each row checked as the catalog reader checks stored values. A key given twice
    /// is an error (the catalog's primary key forbids it: the file was edited).
    static func rows(_ db: Database, sql: String, keyColumns: Int, scales: [Int?], label: String) throws -> [(
        key: [String], values: [String?]
    )] {
        let statement = try db.makeStatement(sql: sql)
        let kinds = StoredValue.kinds(statement)
        let cursor = try Row.fetchCursor(statement)
        var result: [(key: [String], values: [String?])] = []
        var previous: [String]?
        while let row = try cursor.next() {
            try StoredValue.check(statement, kinds: kinds, label: label)
            var key: [String] = []
            key.reserveCapacity(keyColumns)
            for index in 0..<keyColumns { key.append(try row.decode(String.self, atIndex: index)) }
            if key == previous {
                throw CatalogReadError(
                    message: "\(label) \(key.joined(separator: " ")) is there twice; the file was edited: rebuild the catalog")
            }
            var values: [String?] = []
            values.reserveCapacity(scales.count - keyColumns)
            for index in keyColumns..<scales.count {
                let value = try row.decode(DatabaseValue.self, atIndex: index)
                values.append(value.isNull ? nil : CatalogDump.format(value, scale: scales[index]))
            }
            result.append((key, values))
            previous = key
        }
        return result
    }
}
