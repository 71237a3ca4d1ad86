import Foundation
import GRDB
import RVUCore
import RVUMerge

/// Writes a merged catalog to one self-contained SQLite file, atomically.
///
/// The file is built at a hidden temporary path beside the output (`.RVU26A.sqlite.tmp-PID`),
/// with a rollback journal (never WAL), in one transaction with prepared statements, then
/// vacuumed and renamed over the output only when complete. On any error the temporary files are
/// removed and the previous catalog at the output path is untouched. Rows are inserted in key
/// order and nothing time-dependent is written, so identical inputs give identical bytes.
public enum CatalogWriter {
    /// What was written.
    public struct Result: Sendable {
        public let path: String
        public let catalogVersion: String
    }

    public static func write(_ catalog: MergedCatalog, to path: String) throws(DiagnosticError) -> Result {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        func cleanUp() {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(
                "catalog-write", "cannot create the output folder: \(error.localizedDescription)", at: SourceLocation(file: folder))
        }
        // One writer per output at a time: a second one is refused, not interleaved.
        let lock = try OutputLock(for: folder + "/." + url.lastPathComponent + ".lock", output: path)
        defer { lock.release() }
        cleanUp()
        removeStaleTemporaryFiles(in: folder, of: url.lastPathComponent)
        let version: String
        do {
            var configuration = Configuration()
            configuration.journalMode = .default
            configuration.foreignKeysEnabled = true
            let queue = try DatabaseQueue(path: temporary, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: "PRAGMA page_size = 4096")
            }
            try Schema.migrator.migrate(queue)
            let clock = ContinuousClock.now
            try queue.write { db in try insert(catalog, into: db) }
            StageTiming.report("  insert", since: clock)
            let dumpClock = ContinuousClock.now
            version = try queue.write { db in
                let dump = try CatalogDump.text(db, excludingVersion: true)
                let version = catalogVersion(release: catalog.release.id, dump: dump)
                try db.execute(sql: "INSERT INTO catalog_meta (key, value) VALUES ('catalog_version', ?)", arguments: [version])
                return version
            }
            StageTiming.report("  version hash", since: dumpClock)
            let vacuumClock = ContinuousClock.now
            try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
            StageTiming.report("  vacuum", since: vacuumClock)
            try queue.close()
        } catch {
            cleanUp()
            throw DiagnosticError(
                "catalog-write", "cannot write the catalog: \(error); the previous catalog is untouched", at: SourceLocation(file: path))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            cleanUp()
            throw DiagnosticError("catalog-write", "cannot move the new catalog into place: \(reason)", at: SourceLocation(file: path))
        }
        return Result(path: path, catalogVersion: version)
    }

    /// Removes what a killed writer left beside the output (`.NAME.tmp-PID`, its `-journal`):
    /// called with the lock held, so no other writer of this output is running.
    static func removeStaleTemporaryFiles(in folder: String, of name: String) {
        let prefix = "." + name + ".tmp-"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: folder + "/" + file)
        }
    }

    /// An exclusive advisory lock (flock) on a hidden file beside the output, held while writing.
    final class OutputLock {
        private var descriptor: Int32

        init(for lockPath: String, output: String) throws(DiagnosticError) {
            descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw DiagnosticError(
                    "catalog-write", "cannot create the lock file \(lockPath): \(String(cString: strerror(errno)))",
                    at: SourceLocation(file: output))
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                descriptor = -1
                throw DiagnosticError(
                    "catalog-busy", "another rvuimport is writing this catalog now; run again when it has finished",
                    at: SourceLocation(file: output))
            }
        }

        func release() {
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }

        deinit { release() }
    }

    /// `RVU26A-` and the first 16 hex digits of SHA-256 over the release id and the canonical dump.
    static func catalogVersion(release: ReleaseID, dump: String) -> String {
        var hasher = SHA256()
        hasher.update(Array("\(release)\n".utf8))
        hasher.update(Array(dump.utf8))
        let hex = hasher.finalize().prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return "\(release.shortName)-\(hex)"
    }

    static func real(_ value: ExactDecimal?) -> DatabaseValue {
        value.map { $0.doubleValue.databaseValue } ?? .null
    }

    static func insert(_ catalog: MergedCatalog, into db: Database) throws {
        let release = catalog.release
        let meta = try db.makeStatement(sql: "INSERT INTO catalog_meta (key, value) VALUES (?, ?)")
        var metaRows: [(String, String)] = [
            ("schema_version", String(Schema.version)),
            ("release_id", release.id.shortName),
            ("release_revision", release.id.revisionName),
            ("released_on", release.releasedOn?.description ?? ""),
            ("source_sha256", release.sourceSHA256 ?? ""),
            ("curated_revision", catalog.curatedRevision),
            ("tool_version", ToolInfo.version),
            ("attribution", "Data sourced from CMS Physician Fee Schedule \(release.id.shortName)"),
        ]
        if let national = release.nationalAnesthesiaCF { metaRows.append(("national_anesthesia_cf", national.description)) }
        for (index, notice) in release.notices.enumerated() {
            let upper = notice.uppercased()
            let key = upper.contains("DENTAL") ? "ada_notice" : upper.contains("MEDICAL ASSOCIATION") ? "ama_notice" : "notice_\(index + 1)"
            metaRows.append((key, notice))
        }
        for (key, value) in metaRows.sorted(by: { $0.0 < $1.0 }) { try meta.execute(arguments: [key, value]) }

        let scale = try db.makeStatement(sql: "INSERT INTO column_scale VALUES (?, ?, ?)")
        for entry in Schema.scales.sorted(by: { ($0.table, $0.column) < ($1.table, $1.column) }) {
            try scale.execute(arguments: [entry.table, entry.column, entry.scale])
        }

        let member = try db.makeStatement(sql: "INSERT INTO release_member VALUES (?, ?, ?, ?, ?, ?, ?)")
        for item in release.members.sorted(by: { $0.name < $1.name }) {
            try member.execute(arguments: [
                item.name, item.dataset.rawValue, item.variant.rawValue, item.format.rawValue, item.sha256, item.bytes, item.rows,
            ])
        }

        let categories = Dictionary(catalog.codes.map { ($0.category.id, $0.category) }, uniquingKeysWith: { first, _ in first })
        let notes = Dictionary(uniqueKeysWithValues: catalog.categoryNotes.map { ($0.category, $0) })
        let category = try db.makeStatement(sql: "INSERT INTO category VALUES (?, ?, ?, ?, ?)")
        for id in Set(categories.keys).union(notes.keys).sorted() {
            let known = categories[id] ?? CodeCategory.category(id: id)
            try category.execute(arguments: [
                id, known?.name ?? id, known?.codeSet.rawValue ?? "hcpcs", notes[id]?.billingNotes, notes[id]?.documentationNotes,
            ])
        }

        let code = try db.makeStatement(sql: "INSERT INTO code VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let synonym = try db.makeStatement(sql: "INSERT INTO code_synonym VALUES (?, ?, ?)")
        let specialty = try db.makeStatement(sql: "INSERT INTO code_specialty VALUES (?, ?)")
        let modifierNote = try db.makeStatement(sql: "INSERT INTO code_modifier_note VALUES (?, ?, ?)")
        let search = try db.makeStatement(sql: "INSERT INTO code_search VALUES (?, ?, ?, ?, ?, ?)")
        for entry in catalog.codes.sorted(by: { $0.code < $1.code }) {
            try code.execute(arguments: [
                entry.code, entry.title, entry.titleSource.rawValue, entry.category.id, entry.description, entry.plainLanguage,
                entry.clinicalContext, entry.billingNotes, entry.documentationNotes, entry.inRelease ? 1 : 0,
            ])
            for (position, text) in entry.synonyms.enumerated() where !entry.synonyms[..<position].contains(text) {
                try synonym.execute(arguments: [entry.code, text, position + 1])
            }
            for text in Set(entry.specialties).sorted() { try specialty.execute(arguments: [entry.code, text]) }
            for modifier in entry.modifierNotes.keys.sorted() {
                try modifierNote.execute(arguments: [entry.code, modifier, entry.modifierNotes[modifier]])
            }
            if entry.title != nil || entry.description != nil || !entry.synonyms.isEmpty {
                try search.execute(arguments: [
                    entry.code, entry.title, entry.synonyms.joined(separator: "; "), entry.description, entry.plainLanguage,
                    entry.clinicalContext,
                ])
            }
        }

        let rvu = try db.makeStatement(
            sql: "INSERT INTO rvu VALUES (\(Array(repeating: "?", count: 32).joined(separator: ", ")))")
        for variant in release.rvu.keys.sorted() {
            let records = (release.rvu[variant] ?? []).sorted { ($0.hcpcs, $0.modifier) < ($1.hcpcs, $1.modifier) }
            for r in records {
                let values: [DatabaseValueConvertible?] = [
                    r.hcpcs, r.modifier, variant.rawValue, r.status, r.notUsedForMedicarePayment ? 1 : 0, real(r.workRVU),
                    real(r.nonfacilityPE), r.nonfacilityNA ? 1 : 0, real(r.facilityPE), r.facilityNA ? 1 : 0, real(r.mpRVU),
                    real(r.nonfacilityTotal), real(r.facilityTotal), r.pctc, r.globalDays, real(r.preOp), real(r.intraOp),
                    real(r.postOp), r.multProc, r.bilatSurg, r.asstSurg, r.coSurg, r.teamSurg, r.pricingIndicator, r.endoBase,
                    real(r.conversionFactor), r.supervision, r.calculationFlag, r.imagingFamily, real(r.oppsNonfacilityPE),
                    real(r.oppsFacilityPE), real(r.oppsMP),
                ]
                try rvu.execute(arguments: StatementArguments(values))
            }
        }

        let anesthesia = Dictionary(release.anesthesia.map { ("\($0.mac)/\($0.locality)", $0) }, uniquingKeysWith: { first, _ in first })
        var localities: [String: (GPCIRecord?, AnesthesiaRecord?)] = [:]
        for record in release.gpci {
            localities["\(record.mac)/\(record.locality)"] = (record, anesthesia["\(record.mac)/\(record.locality)"])
        }
        for (key, record) in anesthesia where localities[key] == nil { localities[key] = (nil, record) }
        let locality = try db.makeStatement(sql: "INSERT INTO locality VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for key in localities.keys.sorted() {
            guard let (gpci, anes) = localities[key] else { continue }
            try locality.execute(arguments: [
                gpci?.mac ?? anes?.mac, gpci?.locality ?? anes?.locality, gpci?.state ?? "", gpci?.name ?? anes?.name ?? "",
                real(gpci?.workGPCI), real(gpci?.workGPCIWithoutFloor), real(gpci?.peGPCI), real(gpci?.mpGPCI),
                real(anes?.conversionFactor), real(anes?.qppConversionFactor),
            ])
        }

        let county = try db.makeStatement(sql: "INSERT OR IGNORE INTO locality_county VALUES (?, ?, ?, ?, ?)")
        for r in release.localityCounties.sorted(by: {
            ($0.mac, $0.locality, $0.state, $0.feeScheduleArea) < ($1.mac, $1.locality, $1.state, $1.feeScheduleArea)
        }) {
            try county.execute(arguments: [r.mac, r.locality, r.state, r.feeScheduleArea, r.counties])
        }

        let cap = try db.makeStatement(sql: "INSERT INTO opps_cap VALUES (?, ?, ?, ?, ?, ?, ?)")
        for r in release.oppsCaps.sorted(by: { ($0.hcpcs, $0.modifier, $0.mac, $0.locality) < ($1.hcpcs, $1.modifier, $1.mac, $1.locality) }
        ) {
            try cap.execute(arguments: [r.hcpcs, r.modifier, r.mac, r.locality, r.status, real(r.facilityPrice), real(r.nonfacilityPrice)])
        }

        let payment = try db.makeStatement(sql: "INSERT INTO national_payment VALUES (?, ?, ?, ?, ?)")
        for p in catalog.payments.sorted(by: { ($0.hcpcs, $0.modifier, $0.variant) < ($1.hcpcs, $1.modifier, $1.variant) }) {
            try payment.execute(arguments: [p.hcpcs, p.modifier, p.variant.rawValue, real(p.nonfacility), real(p.facility)])
        }
    }
}
