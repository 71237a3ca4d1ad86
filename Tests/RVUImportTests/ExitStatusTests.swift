import Foundation
import RVUTestSupport
import Testing

/// The documented exit statuses and messages of `rvuimport` for files that cannot be read or
/// written, configuration files, and what the summary counts: the built binary, run.
@Suite(.serialized) struct ExitStatusTests {
    /// A temporary folder holding a copy of the sample curated content, removed by the caller.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let sampleRun = ["--release", "RVU26A", "--source", "Samples/releases", "--curated", "Samples/curated"]

    @Test func anOutputThatIsAFolderIsAnIOError() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("RVU26A.sqlite")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let result = try Binary.run(Self.sampleRun + ["--output", output.path])
        #expect(result.status == 74)
        #expect(result.stderr.contains("\(output.path): error: a folder is at the output path; choose another --output"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") } == ["RVU26A.sqlite"])
    }

    @Test func aFileThatIsNotACatalogIsReplacedOnlyWithForce() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("notes.txt")
        try Data("someone's notes\n".utf8).write(to: output)
        let refused = try Binary.run(Self.sampleRun + ["--output", output.path])
        #expect(refused.status == 74)
        #expect(refused.stderr.contains("error: the file at the output path is not an rvuimport catalog, so it was left as it is"))
        #expect(try String(contentsOf: output, encoding: .utf8) == "someone's notes\n")
        let forced = try Binary.run(Self.sampleRun + ["--output", output.path, "--force"])
        #expect(forced.status == 0)
        #expect(try Data(contentsOf: output).prefix(15) == Data("SQLite format 3".utf8))
        // A catalog is replaced without --force.
        #expect(try Binary.run(Self.sampleRun + ["--output", output.path]).status == 0)
    }

    @Test func aFileSizeLimitFailsTheWriteAndKeepsTheOldCatalog() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("RVU26A.sqlite").path
        #expect(try Binary.run(Self.sampleRun + ["--output", output]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: output))
        let command = ([Binary.url.path] + Self.sampleRun + ["--output", output]).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -f 16; exec \(command)"]
        process.currentDirectoryURL = Golden.repositoryRoot
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 74, "\(stderr)")
        #expect(stderr.contains("error: cannot write the catalog"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func aMissingConfigFileIsAnIOErrorAndPathsInOneAreRelativeToIt() throws {
        let missing = try Binary.run(["--release", "RVU26A", "--config", "no/such/rvuimport.yaml"])
        #expect(missing.status == 74)
        #expect(missing.stderr == "no/such/rvuimport.yaml: error: no such configuration file; check the --config path\n")

        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = Golden.repositoryRoot.path
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("releases").path, withDestinationPath: "\(root)/Samples/releases")
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("curated").path, withDestinationPath: "\(root)/Samples/curated")
        try Data("source: releases\ncurated: curated\noutput: out/{release}.sqlite\n".utf8)
            .write(to: folder.appendingPathComponent("rvuimport.yaml"))
        let run = try Binary.run(["--release", "RVU26A", "--config", folder.appendingPathComponent("rvuimport.yaml").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/RVU26A.sqlite").path))
        #expect(run.stdout.contains("curated: 23 of 28 codes"))
    }

    @Test func anEmptyCuratedFolderWarnsAndTheSummaryCountsCuratedFindings() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("curated")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let base = ["--release", "RVU26A", "--source", "Samples/releases", "--output", folder.appendingPathComponent("a.sqlite").path]
        let plain = try Binary.run(base + ["--curated", "Samples/curated"])
        let warned = try Binary.run(base + ["--curated", empty.path])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("\(empty.path): warning: the curated folder holds no .yaml files"))
        #expect(try Binary.run(base + ["--curated", empty.path, "--strict"]).status == 1)
        // The summary counts the curated warning with the release's.
        func warnings(_ text: String) -> Int? {
            guard let range = text.range(of: #"(\d+) warnings?"#, options: .regularExpression) else { return nil }
            return Int(text[range].split(separator: " ")[0])
        }
        #expect(warnings(warned.stdout).map { $0 - 1 } == warnings(plain.stdout))
        // A curated file with an error: counted as an error, and nothing is written.
        try Data("codes:\n  - code: \"99213\"\n    title: [not, text]\n".utf8).write(to: empty.appendingPathComponent("bad.yaml"))
        let broken = try Binary.run(base + ["--curated", empty.path])
        #expect(broken.status == 1)
        let printed = broken.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.count
        #expect(printed > 0)
        #expect(broken.stdout.contains(" \(printed) error\(printed == 1 ? "" : "s"),"), "\(broken.stdout)")
    }

    @Test func inspectSaysWhatIsWrongWithThePath() throws {
        let missing = try Binary.run(["inspect", "no-such-GPCI2025.csv"])
        #expect(missing.status == 74)
        #expect(missing.stderr == "no-such-GPCI2025.csv: error: no such file; check the path\n")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("GPCI2025.csv").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let pipe = try Binary.run(["inspect", fifo])
        #expect(pipe.status == 74)
        #expect(pipe.stderr == "\(fifo): error: not a regular file (a pipe, socket or device); pass a file\n")
    }

    @Test func versionNamesTheToolAndTheSchema() throws {
        let result = try Binary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^rvuimport \d+\.\d+\.\d+ \(catalog schema \d+\)\n$"#, options: .regularExpression) != nil)
    }
}

/// `show` on catalogs edited by hand or damaged: the documented "cannot read" status (74) and a
/// message, never a crash.
@Suite(.serialized) struct DamagedCatalogShowTests {
    static let edits: [(String, String)] = [
        (
            "a BLOB where the title source is expected",
            "PRAGMA ignore_check_constraints = ON; UPDATE code SET title_source = X'FFFE' WHERE code = '99213'"
        ),
        (
            "a NULL RVU status",
            "PRAGMA writable_schema = OFF; CREATE TABLE x AS SELECT * FROM rvu; DROP TABLE rvu; CREATE TABLE rvu AS SELECT * FROM x; DROP TABLE x; UPDATE rvu SET status = NULL WHERE hcpcs = '99213'"
        ),
        ("text that is not a number in an RVU", "UPDATE rvu SET work_rvu = 'lots' WHERE hcpcs = '99213'"),
        (
            "a synonym that is a BLOB of invalid UTF-8",
            "UPDATE code_synonym SET synonym = X'FF00FE' WHERE rowid = (SELECT min(rowid) FROM code_synonym WHERE code = '99213')"
        ),
        ("no catalog_meta table", "DROP TABLE catalog_meta"),
    ]

    @Test(arguments: edits)
    func showExits74(_ edit: (what: String, sql: String)) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("show-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = folder.appendingPathComponent("RVU26A.sqlite").path
        #expect(try Binary.run(ExitStatusTests.sampleRun + ["--output", catalog]).status == 0)
        #expect(try Binary.run(["show", "99213", "--catalog", catalog]).status == 0)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", catalog, edit.sql]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0, "sqlite3 is needed to edit the catalog")
        let result = try Binary.run(["show", "99213", "--catalog", catalog])
        #expect(result.status == 74, "\(edit.what): \(result.stderr)")
        #expect(result.stderr.hasPrefix("\(catalog): error: "), "\(edit.what): \(result.stderr)")
    }
}
