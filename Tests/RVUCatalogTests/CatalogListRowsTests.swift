import Foundation
import GRDB
import Testing

@testable import RVUCatalog

/// Lists of a code (synonyms, specialties) are written with each item once, whatever reaches
/// the writer: a short list is searched for repeats, a long one hashed; both give the same.
@Suite struct CatalogListRowsTests {
    @Test(arguments: [3, 16, 17, 40])
    func repeatsAreDroppedKeepingTheFirstPosition(count: Int) {
        let items = (0..<count).map { "item \($0 % 5 == 4 ? $0 - 2 : $0)" }
        var seen: Set<String> = []
        let expected = items.indices.filter { seen.insert(items[$0]).inserted }
        #expect(CatalogRows.firstOccurrences(items) == expected)
        #expect(expected.count < count || count < 5)
    }

    @Test func aCodeWithRepeatedSynonymsAndSpecialtiesIsWrittenWithEachOnce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var catalog = sampleCatalog()
        let index = try #require(catalog.codes.firstIndex { $0.code == "99213" })
        catalog.codes[index].synonyms = ["office visit", "follow-up", "office visit", "level 3"]
        catalog.codes[index].specialties = ["Pediatrics", "Cardiology", "Pediatrics", "Cardiology", "Geriatrics"]
        let path = "\(folder)/a.sqlite"
        _ = try CatalogWriter.write(catalog, to: path)
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let synonyms = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT synonym, position FROM code_synonym WHERE code = '99213' ORDER BY position")
                .map { "\($0[0] as String) \($0[1] as Int)" }
        }
        #expect(synonyms == ["office visit 1", "follow-up 2", "level 3 4"])
        let specialties = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT specialty FROM code_specialty WHERE code = '99213' ORDER BY rowid")
        }
        #expect(specialties == ["Cardiology", "Geriatrics", "Pediatrics"])
    }
}
