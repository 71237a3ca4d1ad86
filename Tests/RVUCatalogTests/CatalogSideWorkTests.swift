import Foundation
import GRDB
import RVUCore
import Testing

@testable import RVUCatalog

/// The work the writer hands to another core (`CatalogSideWork`) must give what the writer gives
/// doing it itself (the plain way): the version its inserts would hash, which is also the version
/// read back from the finished file, and the index its own connection builds: the same rows in
/// every table FTS5 keeps, the same answers, and nothing left beside the output.
@Suite struct CatalogSideWorkTests {
    /// Every row of `table`, each value quoted by SQLite (blobs as hex), in the order of its b-tree.
    static func rows(_ table: String, in path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let columns = try queue.read { db in try db.columns(in: table).map(\.name) }
        let select = "SELECT " + columns.map { "quote(\($0))" }.joined(separator: " || '|' || ") + " FROM \(table)"
        return try queue.read { db in try String.fetchAll(db, sql: select) }
    }

    @Test func theIndexBuiltApartIsTheIndexBuiltInPlace() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let catalog = try #require(try buildSampleCatalog("RVU26A", output: "\(folder)/pipeline.sqlite").catalog)
        let plain = "\(folder)/plain.sqlite"
        let apart = "\(folder)/apart.sqlite"
        let plainResult = try CatalogWriter.write(catalog, to: plain, replacingAnyFile: false, sideWork: false)
        let apartResult = try CatalogWriter.write(catalog, to: apart, replacingAnyFile: false, sideWork: true)
        #expect(apartResult.catalogVersion == plainResult.catalogVersion)
        #expect(try CatalogReader(path: apart).computedVersion() == apartResult.catalogVersion)
        #expect(try CatalogReader(path: apart).meta()["catalog_version"] == apartResult.catalogVersion)
        #expect(try CatalogReader(path: apart).dump() == CatalogReader(path: plain).dump())
        for table in CatalogSideWork.searchTables {
            let expected = try Self.rows(table, in: plain)
            #expect(try Self.rows(table, in: apart) == expected, "\(table)")
            #expect(!expected.isEmpty, "\(table)")
        }
        // The index has a row for every code (the test compares real index data), and no copy of
        // the text: the view it reads its text from gives every code's row.
        #expect(try Self.rows("code_search_docsize", in: apart).count == catalog.codes.count)
        #expect(try Self.rows("code_search_source", in: apart).count == catalog.codes.count)
        let queue = try DatabaseQueue(path: apart)
        try queue.write { db in try db.execute(sql: "INSERT INTO code_search(code_search) VALUES ('integrity-check')") }
        try queue.close()
        for query in ["99213", "9921*", "office visit", "knee", "established patient", "D03*"] {
            let found = try CatalogReader(path: apart).search(query)
            #expect(found == (try CatalogReader(path: plain).search(query)), "\(query)")
        }
        #expect(!(try CatalogReader(path: apart).search("office")).isEmpty)
        // Only the catalogs (and their lock files) are left: no index file.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasSuffix(".lock") }.sorted()
        #expect(left == ["apart.sqlite", "pipeline.sqlite", "plain.sqlite"])
    }

    @Test func twoWritesApartGiveTheSameBytes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let catalog = try #require(try buildSampleCatalog("RVU26A", output: "\(folder)/one.sqlite").catalog)
        _ = try CatalogWriter.write(catalog, to: "\(folder)/two.sqlite")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(folder)/one.sqlite"))
                == Data(contentsOf: URL(fileURLWithPath: "\(folder)/two.sqlite")))
    }
}
