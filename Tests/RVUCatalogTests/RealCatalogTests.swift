import Foundation
import GRDB
import RVUCore
import RVUImport
import RVUMerge
import RVUPipeline
import RVUTestSupport
import Testing

@testable import RVUCatalog

enum RealCatalog {
    static let folder = ProcessInfo.processInfo.environment["RVU_SHARED_CMS"]
    static let available = folder.map { FileManager.default.fileExists(atPath: "\($0)/RVU24B.zip") } ?? false

    /// RVU24B imported and written once, with the sample curated content.
    static let built: Result<(ImportedRelease, String), DiagnosticError> = {
        guard let folder else { return .failure(DiagnosticError(.internalError, "RVU_SHARED_CMS unset", at: nil)) }
        do throws(DiagnosticError) {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("rvu24b-\(UUID().uuidString).sqlite").path
            let result = try Pipeline.run(
                release: ReleaseID(year: 2024, quarter: .b),
                options: .init(
                    source: "\(folder)/RVU24B.zip", curated: repositoryRoot.appendingPathComponent("Samples/curated").path, output: output,
                    strict: false))
            guard result.written != nil else {
                return .failure(DiagnosticError(.internalError, "not written: \(result.diagnostics.prefix(3))", at: nil))
            }
            return .success((result.imported, output))
        } catch {
            return .failure(error)
        }
    }()
}

@Suite(.enabled(if: RealCatalog.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
struct RealCatalogTests {
    @Test func theVersionHashesTheRowsAsReadBack() throws {
        let (_, path) = try RealCatalog.built.get()
        let reader = try CatalogReader(path: path)
        let stored = try #require(try reader.meta()["catalog_version"])
        #expect(stored.hasPrefix("RVU24B-") && stored.count == "RVU24B-".count + 16)
        #expect(try reader.computedVersion() == stored)
    }

    @Test func everyReferenceResolves() throws {
        let (_, path) = try RealCatalog.built.get()
        #expect(try referenceViolations(in: path).isEmpty)
    }

    @Test func exactValuesAndNationalPayments() throws {
        let (_, path) = try RealCatalog.built.get()
        let reader = try CatalogReader(path: path)
        let rows = try reader.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.hcpcs, r.modifier, r.work_rvu, r.nonfacility_total, r.conversion_factor, r.nonfacility_na,
                           p.nonfacility_amount, p.facility_amount
                    FROM rvu r JOIN national_payment p USING (hcpcs, modifier, variant)
                    WHERE r.hcpcs IN ('99213', '27447', '70450') ORDER BY r.hcpcs, r.modifier
                    """)
        }
        func text(_ value: DatabaseValue, _ scale: Int) -> String { CatalogDump.format(value, scale: scale) }
        let printed = rows.map { row in
            [
                row["hcpcs"] as String? ?? "", row["modifier"] as String? ?? "", text(row["work_rvu"], 2),
                text(row["nonfacility_total"], 2),
                text(row["conversion_factor"], 4), text(row["nonfacility_amount"], 2), text(row["facility_amount"], 2),
            ].joined(separator: " ")
        }
        // 99213: 2.73 x 33.2875 = 90.87; 1.96 x 33.2875 = 65.24. 27447 has NA in the office
        // setting: 38.57 x 33.2875 = 1283.90 in a facility only.
        #expect(
            printed == [
                "27447  19.60 38.57 33.2875 NULL 1283.90",
                "70450  0.85 3.26 33.2875 108.52 NULL",
                "70450 26 0.85 1.19 33.2875 39.61 39.61",
                "70450 TC 0.00 2.07 33.2875 68.91 NULL",
                "99213  1.30 2.73 33.2875 90.87 65.24",
            ])
        let meta = try reader.meta()
        #expect(meta["release_id"] == "RVU24B" && meta["released_on"] == "2024-03-15")
        #expect(meta["source_sha256"]?.count == 64)
        #expect(meta["ama_notice"]?.contains("American Medical Association") == true)
        #expect(meta["ada_notice"]?.contains("American Dental Association") == true)
        let alabama = try reader.read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT nonfacility_amount FROM locality_payment WHERE hcpcs = '99213' AND modifier = '' AND mac = '10112' AND locality = '00'"
            )
        }
        // (1.30 x 1.000 + 1.33 x 0.869 + 0.10 x 0.575) x 33.2875 = 83.66
        #expect(alabama.map { text($0["nonfacility_amount"], 2) } == "83.66")
    }

    /// No CPT or dental descriptor from the PPRRVU file appears in any text column of the catalog,
    /// whatever its case (HCPCS Level II descriptors that are word for word the same are public
    /// text and allowed).
    @Test func noProprietaryDescriptorAnywhere() throws {
        let (_, path) = try RealCatalog.built.get()
        // The descriptors as imported (the run's result keeps no records once they are merged).
        let folder = try #require(RealCatalog.folder)
        let imported = try Pipeline.importRelease(.archive(path: "\(folder)/RVU24B.zip"), release: ReleaseID(year: 2024, quarter: .b))
        var proprietary = Set<String>()
        var levelII = Set<String>()
        for record in imported.rvu(.general) where !record.description.isEmpty {
            let text = record.description.trimmingCharacters(in: .whitespaces).lowercased()
            if CodeCategory.of(record.hcpcs)?.descriptorIsProprietary ?? true {
                proprietary.insert(text)
            } else {
                levelII.insert(text)
            }
        }
        proprietary.subtract(levelII)
        #expect(proprietary.count > 8000, "the scan has descriptors to look for")
        let reader = try CatalogReader(path: path)
        var cells = 0
        var found: [String] = []
        try reader.read { db in
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'code_search_%'")
            for table in tables {
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table)")
                while let row = try rows.next() {
                    for (column, value) in row {
                        guard case .string(let text) = value.storage else { continue }
                        cells += 1
                        if proprietary.contains(text.trimmingCharacters(in: .whitespaces).lowercased()) {
                            found.append("\(table).\(column): \(text)")
                        }
                    }
                }
            }
        }
        #expect(cells > 100_000)
        #expect(found.isEmpty, "\(found.prefix(10))")
    }
}
