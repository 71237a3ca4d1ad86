import Foundation
import RVUTestSupport
import Synchronization
import Testing

/// Catalogs damaged or edited by hand, given to `diff` (exit 2) and `show` (exit 74): a message
/// naming the file, never a crash, a trap or a hang. Each catalog is built from the samples with
/// the binary and edited with the sqlite3 command-line tool.
@Suite(.serialized) struct DamagedCatalogDiffTests {
    /// An edit of a catalog: SQL for sqlite3, or a change of the file's bytes.
    enum Edit: Sendable, CustomTestStringConvertible {
        case sql(String, String)
        case file(String, @Sendable (String) throws -> Void)

        var testDescription: String {
            switch self {
            case .sql(let what, _), .file(let what, _): what
            }
        }

        func apply(to catalog: String) throws {
            switch self {
            case .sql(_, let sql):
                let sqlite = Process()
                sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                sqlite.arguments = ["sqlite3", catalog, sql]
                try sqlite.run()
                sqlite.waitUntilExit()
                try #require(sqlite.terminationStatus == 0, "sqlite3 is needed to edit the catalog")
            case .file(_, let change): try change(catalog)
            }
        }
    }

    /// A journal header as SQLite writes it (magic, record count, nonce, page count, sector and
    /// page size), padded to a sector: what a writer killed in a transaction leaves beside the file.
    static func leaveHotJournal(_ catalog: String) throws {
        let file = try Data(contentsOf: URL(fileURLWithPath: catalog))
        let bytes = [UInt8](file.prefix(32))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let pageCount = UInt32(file.count / pageSize)
        var header: [UInt8] = [0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7]
        for field: UInt32 in [1, 0x1234_5678, pageCount, 512, UInt32(pageSize)] {
            header += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: field >> $0) }
        }
        header += [UInt8](repeating: 0, count: 512 - header.count)
        // One page record: its number and the page's old bytes (the first page as it is).
        try Data(header + [0, 0, 0, 1] + file.prefix(pageSize) + [0, 0, 0, 0]).write(to: URL(fileURLWithPath: catalog + "-journal"))
    }

    /// Edits that both commands read: `show 99213` runs into each.
    static let editsForBoth: [Edit] = [
        .sql(
            "a key twice in catalog_meta",
            """
            CREATE TABLE m AS SELECT * FROM catalog_meta; DROP TABLE catalog_meta; CREATE TABLE catalog_meta (key TEXT, value TEXT);
            INSERT INTO catalog_meta SELECT * FROM m; DROP TABLE m; INSERT INTO catalog_meta VALUES ('release_id', 'RVU26B')
            """),
        .sql("a BLOB where a title is expected", "UPDATE code SET title = X'FF' WHERE code = '99213'"),
        .sql("a BLOB of valid UTF-8 where a title is expected", "UPDATE code SET title = X'4F6666696365' WHERE code = '99213'"),
        .sql("invalid UTF-8 in a TEXT title", "UPDATE code SET title = CAST(X'4FFF' AS TEXT) WHERE code = '99213'"),
        .sql("a NUL in a title", "UPDATE code SET title = 'Office' || char(0) || 'visit' WHERE code = '99213'"),
        .sql("an infinite RVU", "UPDATE rvu SET work_rvu = 9e999 WHERE hcpcs = '99213'"),
        .sql("a negative infinite RVU", "UPDATE rvu SET mp_rvu = -9e999 WHERE hcpcs = '99213'"),
        .file("a hot journal left by a killed writer", leaveHotJournal),
    ]

    /// Edits `diff` finds wherever they are.
    static let editsForDiff: [Edit] =
        editsForBoth + [
            .file(
                "a corrupt page",
                { catalog in
                    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: catalog))
                    let size = try handle.seekToEnd()
                    try handle.seek(toOffset: size / 2 / 4096 * 4096)
                    try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
                    try handle.close()
                }),
            .sql("text in a REAL column", "UPDATE national_payment SET facility_amount = 'lots' WHERE rowid = 1"),
            .sql("text in an RVU", "UPDATE rvu SET work_rvu = 'n/a' WHERE hcpcs = '99213' AND variant = 'qpp'"),
            .sql(
                "a REAL in an INTEGER column", "PRAGMA ignore_check_constraints = ON; UPDATE code SET in_release = 0.5 WHERE code = '99213'"
            ),
            .sql("a BLOB synonym", "UPDATE code_synonym SET synonym = X'00' WHERE rowid = 1"),
            .sql("a NUL in a locality name", "UPDATE locality SET name = 'A' || char(0) || 'B' WHERE rowid = 1"),
        ]

    /// Two catalogs of the samples in a new folder: the old and a copy, the new.
    static func catalogs() throws -> (folder: URL, old: String, new: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let old = folder.appendingPathComponent("old.sqlite").path
        let new = folder.appendingPathComponent("new.sqlite").path
        #expect(try Binary.run(ExitStatusTests.sampleRun + ["--output", old]).status == 0)
        try FileManager.default.copyItem(atPath: old, toPath: new)
        return (folder, old, new)
    }

    @Test(arguments: editsForDiff)
    func diffExits2NamingTheFile(_ edit: Edit) throws {
        let (folder, old, new) = try Self.catalogs()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Binary.run(["diff", old, new]).status == 0)
        // The new catalog edited, then the old one (the new one restored).
        try edit.apply(to: new)
        let newSide = try Binary.run(["diff", old, new])
        #expect(newSide.status == 2, "\(edit.testDescription): \(newSide.stderr)")
        #expect(newSide.stderr.hasPrefix("\(new): error: "), "\(edit.testDescription): \(newSide.stderr)")
        try FileManager.default.removeItem(atPath: new)
        try? FileManager.default.removeItem(atPath: new + "-journal")
        try FileManager.default.copyItem(atPath: old, toPath: new)
        try edit.apply(to: old)
        let oldSide = try Binary.run(["diff", old, new])
        #expect(oldSide.status == 2, "\(edit.testDescription): \(oldSide.stderr)")
        #expect(oldSide.stderr.hasPrefix("\(old): error: "), "\(edit.testDescription): \(oldSide.stderr)")
    }

    @Test(arguments: editsForBoth)
    func showExits74NamingTheFile(_ edit: Edit) throws {
        let (folder, catalog, _) = try Self.catalogs()
        defer { try? FileManager.default.removeItem(at: folder) }
        try edit.apply(to: catalog)
        let result = try Binary.run(["show", "99213", "--catalog", catalog])
        #expect(result.status == 74, "\(edit.testDescription): \(result.stderr)")
        #expect(result.stderr.hasPrefix("\(catalog): error: "), "\(edit.testDescription): \(result.stderr)")
    }

    @Test func aHotJournalIsNamedInTheMessage() throws {
        let (folder, old, new) = try Self.catalogs()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.leaveHotJournal(new)
        let message = "\(new): error: a writer was interrupted: a hot journal is beside the file"
        #expect(try Binary.run(["diff", old, new]).stderr.hasPrefix(message))
        #expect(try Binary.run(["show", "99213", "--catalog", new]).stderr.hasPrefix(message))
        // Rolled back by a writer, the file reads again.
        try Edit.sql("", "PRAGMA integrity_check").apply(to: new)
        #expect(try Binary.run(["diff", old, new]).status == 0)
    }

    @Test func aHugeButFiniteRVUIsShownOrRefusedWithoutACrash() throws {
        let (folder, catalog, _) = try Self.catalogs()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Edit.sql("", "UPDATE rvu SET work_rvu = 1e300 WHERE hcpcs = '99213'").apply(to: catalog)
        let result = try Binary.run(["show", "99213", "--catalog", catalog])
        #expect(result.status == 0 || result.status == 74, "\(result.stderr)")
    }

    /// Runs the binary, ending it after `seconds` (a hang is a failure, not a stuck test run).
    static func runWithin(_ seconds: Double, _ arguments: [String]) throws -> (status: Int32, stderr: String, hung: Bool) {
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = arguments
        process.currentDirectoryURL = Golden.repositoryRoot
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let hung = Mutex(false)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            if process.isRunning {
                hung.withLock { $0 = true }
                process.terminate()
            }
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr, hung.withLock { $0 })
    }

    @Test func aFIFOIsRefusedPromptly() throws {
        let (folder, old, _) = try Self.catalogs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("fifo.sqlite").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let message = "\(fifo): error: not a regular file (a pipe, socket or device); pass a file\n"
        for arguments in [["diff", fifo, old], ["diff", old, fifo]] {
            let diff = try Self.runWithin(20, arguments)
            #expect(!diff.hung && diff.status == 2, "\(arguments): \(diff.stderr)")
            #expect(diff.stderr == message)
        }
        let show = try Self.runWithin(20, ["show", "99213", "--catalog", fifo])
        #expect(!show.hung && show.status == 74, "\(show.stderr)")
        #expect(show.stderr == message)
    }
}
