import Foundation
import GRDB
import RVUCore
import RVUTestSupport
import Testing

@testable import RVUCatalog
@testable import RVUPipeline

/// The diff's fast path (stored records read from the file) against its SQLite path: the same
/// report for every kind of edit, and the fast path taken exactly where it can be.
@Suite struct StoredRecordDiffTests {
    static let allTables: Set<String> = Set(CatalogDiff.deltaTables.map(\.table))

    /// An edit of a copy of the sample RVU26A catalog, and the tables the fast path should read.
    struct Edit: CustomTestStringConvertible, Sendable {
        var name: String
        var sql: String
        var fromStoredRecords: Set<String>
        var testDescription: String { name }
    }

    static let edits: [Edit] = [
        Edit(name: "none", sql: "", fromStoredRecords: allTables),
        Edit(
            name: "values changed, rows deleted",
            sql: """
                UPDATE rvu SET work_rvu = work_rvu + 0.01, status = 'X' WHERE hcpcs IN ('99213', '70450');
                UPDATE rvu SET pricing_indicator = NULL WHERE hcpcs = '11102';
                UPDATE national_payment SET facility_amount = NULL WHERE hcpcs = '99213';
                DELETE FROM opps_cap WHERE rowid % 3 = 0;
                UPDATE locality SET name = name || ' (renamed)' WHERE rowid = 1;
                """,
            fromStoredRecords: allTables),
        Edit(
            // Stored as an integer on disk, read back as 2.0: equal to 2.00 published.
            name: "whole REAL values and other storage classes",
            sql: """
                UPDATE rvu SET work_rvu = 2 WHERE hcpcs = '99213';
                UPDATE rvu SET mp_rvu = CAST(mp_rvu AS TEXT) WHERE hcpcs = '70450';
                UPDATE rvu SET imaging_family = X'0102' WHERE hcpcs = '11102';
                UPDATE code SET title = 12345 WHERE code = '99213';
                """,
            fromStoredRecords: allTables),
        Edit(
            // Longer than a page: the rest of the record is on overflow pages.
            name: "records on overflow pages",
            sql: """
                UPDATE code SET description = printf('%.*c', 9000, 'x') WHERE code = (SELECT min(code) FROM code);
                UPDATE code SET plain_language = printf('%.*c', 70000, 'y') || 'z' WHERE code = (SELECT max(code) FROM code);
                """,
            fromStoredRecords: allTables),
        Edit(
            name: "rows moved out of key order",
            sql: """
                CREATE TEMP TABLE saved AS SELECT * FROM rvu WHERE hcpcs IN ('11102', 'A0021');
                DELETE FROM rvu WHERE hcpcs IN ('11102', 'A0021');
                UPDATE saved SET work_rvu = 0.67 WHERE hcpcs = '11102';
                INSERT INTO rvu SELECT * FROM saved;
                """,
            fromStoredRecords: allTables.subtracting(["rvu"])),
        Edit(name: "another page size", sql: "PRAGMA page_size = 1024; VACUUM;", fromStoredRecords: allTables),
        Edit(name: "WAL mode", sql: "PRAGMA journal_mode = WAL;", fromStoredRecords: []),
    ]

    @Test(arguments: edits) func bothPathsGiveTheSameReport(edit: Edit) throws {
        let (old, new) = try SampleCatalogs.built.get()
        let edited = "\(SampleCatalogs.folder)/edited-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: new, toPath: edited)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: edited + suffix) }
        }
        if !edit.sql.isEmpty {
            // Outside a transaction: VACUUM and journal modes need that.
            let queue = try DatabaseQueue(path: edited)
            try queue.writeWithoutTransaction { db in try db.execute(sql: edit.sql) }
            try queue.close()
        }
        for (from, to) in [(old, edited), (edited, old), (edited, edited)] {
            let fast = try CatalogDiff.compare(CatalogReader(path: from), CatalogReader(path: to), readingStoredRecords: true)
            let slow = try CatalogDiff.compare(CatalogReader(path: from), CatalogReader(path: to), readingStoredRecords: false)
            #expect(DiffReport(diff: fast).json.rendered() == DiffReport(diff: slow).json.rendered())
            let read = try CatalogDiff.tableDeltas(old: from, new: to).fromStoredRecords
            #expect(read == edit.fromStoredRecords)
        }
        if edit.name != "none" {
            let diff = try CatalogDiff.compare(CatalogReader(path: new), CatalogReader(path: edited))
            #expect(edit.name.contains("page size") || edit.name.contains("WAL") ? diff.isEmpty : !diff.isEmpty)
        }
    }

    /// Values of every storage class and integer width decode as SQLite reads them, from a table
    /// deep enough to have interior pages.
    @Test func recordsDecodeAsSQLiteReadsThem() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        let integers: [Int64] = [
            0, 1, -1, 127, -128, 128, 32767, -32768, 8_388_607, -8_388_608, 2_147_483_647, -2_147_483_648,
            140_737_488_355_327, -140_737_488_355_328, .max, .min,
        ]
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n)")
            for row in 0..<20_000 {
                let integer = integers[row % integers.count] &+ Int64(row / integers.count % 3)
                try db.execute(
                    sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        String(format: "k%06d", row), integer, row % 5 == 0 ? Double(row) : Double(row) / 7,
                        String(repeating: "é", count: row % 40), Data([UInt8(row % 256), 0, 1]), row % 2 == 0 ? nil : row,
                    ])
            }
        }
        let expected = try queue.read { db in try Row.fetchAll(db, sql: "SELECT rowid, * FROM t ORDER BY rowid") }
        let rootPage = try queue.read { db in try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 't'") }
        try queue.close()

        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        let image = try SQLiteFileImage(descriptor: descriptor)
        let records = try image.records(rootPage: try #require(rootPage))
        #expect(records.count == expected.count)
        #expect(image.pageCount > 100)
        let columns = StoredRecordColumns()
        var mismatches = 0
        for (record, row) in zip(records, expected) {
            guard columns.parse(record, in: image.bytes) else {
                mismatches += 1
                continue
            }
            let values = (0..<6).map { columns.value($0, image.bytes, realAffinity: $0 == 2) }
            if record.rowid != row[0] as Int64 || values != Array(Array(row.databaseValues).dropFirst()) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// Pages overwritten with garbage (a damaged copy): the diff reports an error or differences,
    /// and never reads outside the file. Each page of the file is damaged in turn, with bytes
    /// that make page types, cell offsets, varints and serial types wrong.
    @Test func damagedPagesNeverCrashTheDiff() throws {
        let (_, new) = try SampleCatalogs.built.get()
        let original = try Data(contentsOf: URL(fileURLWithPath: new))
        let pageSize = 4096
        let damaged = "\(SampleCatalogs.folder)/damaged-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: damaged) }
        var outcomes: [String: Int] = [:]
        for page in 1..<(original.count / pageSize) {
            for fill: UInt8 in [0xFF, 0x0D, 0x05] {
                var bytes = [UInt8](original)
                // Keep the page header's type on some passes, so that cells are parsed from garbage.
                let start = page * pageSize + (fill == 0xFF ? 0 : 8)
                for index in start..<min(start + 600, bytes.count) { bytes[index] = fill &+ UInt8(truncatingIfNeeded: index) }
                try Data(bytes).write(to: URL(fileURLWithPath: damaged))
                do {
                    let diff = try CatalogDiff.compare(CatalogReader(path: new), CatalogReader(path: damaged))
                    outcomes[diff.isEmpty ? "same" : "differs", default: 0] += 1
                } catch {
                    outcomes["error", default: 0] += 1
                }
            }
        }
        #expect(outcomes.values.reduce(0, +) == 3 * (original.count / pageSize - 1))
        #expect(outcomes["error", default: 0] + outcomes["differs", default: 0] > 0)
    }
}
