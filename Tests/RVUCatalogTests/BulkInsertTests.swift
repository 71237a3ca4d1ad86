import GRDB
import Testing

@testable import RVUCatalog

/// ``BulkInsert`` binds values through SQLite's C interface: what it stores must be what GRDB's
/// own arguments store, for every kind of value, batch after batch on one statement.
@Suite struct BulkInsertTests {
    @Test func storesWhatGRDBArgumentsStore() throws {
        let queue = try DatabaseQueue()
        let rows: [[DatabaseValue]] = [
            [1.databaseValue, "plain".databaseValue, 1.30.databaseValue, .null],
            [(-7).databaseValue, "".databaseValue, 0.0.databaseValue, "é and \u{1F600}".databaseValue],
            [Int64.max.databaseValue, String(repeating: "long ", count: 5_000).databaseValue, (-2.5).databaseValue, 0.databaseValue],
            [.null, .null, .null, "a\u{0}b".databaseValue],
        ]
        let (bulk, plain) = try queue.write { db -> ([Row], [Row]) in
            try db.execute(sql: "CREATE TABLE bulk (a, b, c, d); CREATE TABLE plain (a, b, c, d)")
            let pair = try db.makeStatement(sql: "INSERT INTO bulk VALUES (?, ?, ?, ?), (?, ?, ?, ?)")
            var batch = BulkInsert()
            for twoRows in [rows[0...1], rows[2...3]] {
                for value in twoRows.joined() {
                    switch value.storage {
                    case .null: batch.appendNull()
                    case .int64(let integer): batch.append(integer)
                    case .double(let double): batch.append(double)
                    case .string(let text): batch.append(text)
                    case .blob: Issue.record("no blobs in a catalog")
                    }
                }
                try batch.run(pair)
                #expect(batch.isEmpty)
            }
            for row in rows { try db.execute(sql: "INSERT INTO plain VALUES (?, ?, ?, ?)", arguments: StatementArguments(row)) }
            return (
                try Row.fetchAll(db, sql: "SELECT a, b, c, d, typeof(a), typeof(b), typeof(c), typeof(d) FROM bulk ORDER BY rowid"),
                try Row.fetchAll(db, sql: "SELECT a, b, c, d, typeof(a), typeof(b), typeof(c), typeof(d) FROM plain ORDER BY rowid")
            )
        }
        #expect(bulk.count == 4)
        #expect(bulk == plain)
    }

    @Test func aFailedRunIsAnErrorNamingTheStatement() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a NOT NULL)")
            var batch = BulkInsert()
            batch.appendNull()
            #expect(throws: CatalogWriteError.self) { try batch.run(try db.makeStatement(sql: "INSERT INTO t VALUES (?)")) }
        }
    }
}
