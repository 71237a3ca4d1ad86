import Foundation
import GRDB
import RVUCatalog
import RVUTestSupport
import Testing

/// Runs the built `rvuimport` binary: exit codes and exact output.
enum Binary {
    static var url: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rvuimport")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Golden.repositoryRoot.appendingPathComponent(".build/debug/rvuimport")
    }

    static func run(_ arguments: [String], in directory: URL = Golden.repositoryRoot) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.serialized) struct CommandLineTests {
    @Test func helpIsDocumented() throws {
        let result = try Binary.run(["--help"])
        #expect(result.status == 0)
        try Golden.check(result.stdout, against: "cli-help.txt")
        let inspect = try Binary.run(["inspect", "--help"])
        try Golden.check(inspect.stdout, against: "cli-inspect-help.txt")
    }

    @Test func exitCodes() throws {
        #expect(try Binary.run(["--release", "RVU26E"]).status == 64, "an invalid id is a usage error")
        let missing = try Binary.run(["--release", "RVU19A", "--source", "Samples/releases"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("Samples/releases: error: no archive for RVU19A here"))
        let unknown = try Binary.run(["inspect", "README.md"])
        #expect(unknown.status == 1)
        #expect(
            unknown.stderr
                == "README.md: error: cannot tell which dataset this file holds from its name; pass --dataset pprrvu|gpci|locco|anes|oppscap (and use a .csv, .txt or .xlsx file)\n"
        )
    }

    @Test func aMalformedReleaseIDIsAUsageErrorBeforeAnythingIsRead() throws {
        let forms = "expected RVU, two digits of the year and a quarter letter A-D, as in RVU26A, RVU24AR or rvu26a-updated-12-29-2025"
        for (id, why) in [
            ("RVU26E", "'E' is not a quarter (A January, B April, C July, D October)"), ("RVU2026A", "the year must be two digits"),
        ] {
            // The source does not exist: reading it would be exit 1, "no such file or folder".
            for command in [["--source", "/nonexistent/\(UUID().uuidString)"], ["fetch", "--offline"]] {
                let result = try Binary.run(command + ["--release", id])
                #expect(result.status == 64, "\(command) \(id)")
                let first = result.stderr.split(separator: "\n").first.map(String.init)
                #expect(first == "Error: The value '\(id)' is invalid for '--release <release>': \(why); \(forms)", "\(command)")
            }
        }
    }

    @Test func anArchiveOfAnotherReleaseExits1NamingBoth() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.sqlite").path
        let result = try Binary.run(["--release", "RVU26A", "--source", "Samples/releases/RVU25D.zip", "--output", output])
        #expect(result.status == 1)
        #expect(
            result.stderr.split(separator: "\n").contains { $0.hasPrefix("RVU25D.zip: error: this release holds RVU25D, not RVU26A: ") },
            "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A filter value that cannot select anything is a usage error naming what can, before any
    /// catalog is read.
    @Test(arguments: [
        (["--field", "work_rvus"], "'work_rvus' is not a field; the fields are: "),
        (["--variant", "QPP"], "'QPP' is not a variant; the variants are: general, qpp"),
        (["--code", "992130"], "--code '992130' cannot match a HCPCS code"),
        (["--code", "99.13"], "--code '99.13' cannot match a HCPCS code"),
        (["--only", "moved"], "Please provide one of 'added', 'removed' or 'changed'"),
        (
            ["--fail-on", "payment-change:inf"],
            "Please provide one of 'removed-curated', 'deleted-curated', 'payment-change:PERCENT' or 'any'"
        ),
    ])
    func diffFilterValuesAreUsageErrors(arguments: [String], message: String) throws {
        let result = try Binary.run(["diff", "no-such-old.sqlite", "no-such-new.sqlite"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        if arguments[0] == "--field" {
            #expect(result.stderr.contains(", synonyms, ") && result.stderr.contains(", work_rvu (and notice_N)"))
        }
    }

    @Test func diffExitsLikeDiff1() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for id in ["RVU25D", "RVU26A"] {
            let result = try Binary.run(["--release", id, "--output", folder.appendingPathComponent("\(id).sqlite").path])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let old = folder.appendingPathComponent("RVU25D.sqlite").path
        let new = folder.appendingPathComponent("RVU26A.sqlite").path
        let same = try Binary.run(["diff", new, new])
        #expect(same.status == 0 && same.stdout.hasSuffix("no differences\n"))
        #expect(try Binary.run(["diff", old, new]).status == 1)
        let gate = try Binary.run(["diff", old, new, "--fail-on", "payment-change:4"])
        #expect(gate.status == 3)
        #expect(gate.stderr.hasPrefix("gate: payment-change:4: 20610 nonfacility $62.43 -> none\n"))
        // Gates see the filtered diff: with only status changes kept, no payment rule can fail.
        #expect(
            try Binary.run(["diff", old, new, "--fail-on", "payment-change:4", "--variant", "general", "--field", "status"]).status == 1)
        #expect(try Binary.run(["diff", old, new, "--only", "changed", "--field", "title"]).status == 0)
        let broken = try Binary.run(["diff", old, "README.md"])
        #expect(broken.status == 2)
        #expect(broken.stderr.hasPrefix("README.md: error: not an rvuimport catalog"))
        #expect(try Binary.run(["diff", old, new, "--fail-on", "sometimes"]).status == 64)
        // The QPP rows appear with their payments: payment-change fails on them, whatever the limit.
        let appeared = try Binary.run(["diff", old, new, "--variant", "qpp", "--only", "added", "--fail-on", "payment-change:1000"])
        #expect(appeared.status == 3)
        #expect(appeared.stderr.contains("gate: payment-change:1000: 11102 (qpp) nonfacility none -> $98.69 (a paid row appeared)\n"))
        #expect(appeared.stdout.contains("\nnational payments: "))
        // --variant does not hide a locality change from the gate.
        let gpci = folder.appendingPathComponent("gpci.sqlite").path
        try FileManager.default.copyItem(atPath: new, toPath: gpci)
        try CatalogEditor.execute(gpci, sql: "UPDATE locality SET pe_gpci = 0.999 WHERE mac = '10112' AND locality = '00'")
        let locality = try Binary.run(["diff", new, gpci, "--variant", "general", "--fail-on", "any"])
        #expect(locality.status == 3)
        #expect(locality.stdout.contains("~ locality 10112/00 pe_gpci: 0.873 -> 0.999\n"))
        // --code leaves it out, and says so.
        let coded = try Binary.run(["diff", new, gpci, "--code", "99*", "--fail-on", "any"])
        #expect(coded.status == 0)
        #expect(coded.stdout.contains("1 change left out\n"))
        // A catalog that fails SQLite's integrity check is unreadable: its RVU key index damaged.
        let damaged = folder.appendingPathComponent("damaged.sqlite").path
        try FileManager.default.copyItem(atPath: new, toPath: damaged)
        let (page, size) = try CatalogReader(path: damaged).read { db in
            (
                try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_rvu_1'"),
                try Int.fetchOne(db, sql: "PRAGMA page_size")
            )
        }
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: damaged))
        try file.seek(toOffset: UInt64((try #require(page)) * (try #require(size)) - 1024))
        try file.write(contentsOf: Data(repeating: 0xA5, count: 1024))
        try file.close()
        let unsound = try Binary.run(["diff", old, damaged])
        #expect(unsound.status == 2 && unsound.stdout.isEmpty)
        #expect(unsound.stderr.hasPrefix("\(damaged): error: the file is damaged (SQLite's integrity check: "))

        // The CI script writes the three reports and returns the gate's status.
        let reports = folder.appendingPathComponent("reports").path
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [
            Golden.repositoryRoot.appendingPathComponent("Scripts/ci-diff.sh").path, old, new, reports, "--fail-on", "payment-change:4",
        ]
        script.environment = ["RVUIMPORT": Binary.url.path, "PATH": "/usr/bin:/bin"]
        script.standardOutput = FileHandle.nullDevice
        script.standardError = FileHandle.nullDevice
        try script.run()
        script.waitUntilExit()
        #expect(script.terminationStatus == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports).sorted() == ["diff.json", "diff.md", "diff.txt"])
        let markdown = try String(contentsOfFile: "\(reports)/diff.md", encoding: .utf8)
        #expect(markdown.hasPrefix("## Catalog diff: RVU25D → RVU26A"))
    }

    /// Two imports to one output at once: each either writes a complete catalog or is refused with
    /// a clear message, and the file left is one complete catalog.
    @Test func concurrentImportsToOneOutput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("RVU26A.sqlite").path
        var processes: [(Process, Pipe)] = []
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = Binary.url
            process.arguments = ["--release", "RVU26A", "--output", output]
            process.currentDirectoryURL = Golden.repositoryRoot
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            processes.append((process, errors))
        }
        var succeeded = 0
        for (process, errors) in processes {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                succeeded += 1
            } else {
                #expect(process.terminationStatus == 1)
                #expect(text.contains("error: another rvuimport is writing this catalog now; run again when it has finished"), "\(text)")
            }
        }
        #expect(succeeded >= 1)
        let check = try Binary.run(["show", "99213", "--catalog", output])
        #expect(check.status == 0 && check.stdout.contains("Data sourced from CMS Physician Fee Schedule RVU26A"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        #expect(names == ["RVU26A.sqlite"])
    }

    @Test func inspectAnArchiveAsJSON() throws {
        let result = try Binary.run(["inspect", "Samples/releases/RVU25D.zip", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let datasets = try #require(object?["datasets"] as? [[String: Any]])
        #expect(datasets.count == 15)
        #expect(Set(datasets.compactMap { $0["dataset"] as? String }) == ["pprrvu", "gpci", "locco", "anes", "oppscap"])
        #expect(datasets.first?["released_on"] as? String == "2025-09-11")
    }
}
