import Foundation
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
