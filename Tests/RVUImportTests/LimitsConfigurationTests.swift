import Foundation
import RVUCore
import RVUImport
import RVUPipeline
import RVUTestSupport
import Testing

/// The limits as `rvuimport.yaml` settings and command-line options, and hostile input through
/// the built binary.
@Suite struct LimitsConfigurationTests {
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theDefaults() {
        let limits = ImportLimits()
        #expect(
            ImportLimitSetting.allCases.map { "\($0.rawValue)=\($0.value(in: limits))" } == [
                "max-archive-mib=128", "max-member-mib=64", "max-total-mib=256", "max-compression-ratio=100",
                "max-record-kib=1024", "max-fields=1000", "max-rows=400000",
            ])
    }

    @Test func settingsInTheConfigurationFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/rvuimport.yaml"
        try Data("source: x\nmax-member-mib: 2\nmax-rows: 7\nmax-compression-ratio: 30\n".utf8).write(to: URL(fileURLWithPath: path))
        let configuration = try Configuration.load(from: path)
        #expect(configuration.limits.maximumMemberBytes == 2 << 20)
        #expect(configuration.limits.maximumRows == 7)
        #expect(configuration.limits.maximumCompressionRatio == 30)
        #expect(configuration.limits.maximumTotalBytes == ImportLimits().maximumTotalBytes)

        try Data("max-rows: lots\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: DiagnosticError.self) { try Configuration.load(from: path) }
        do {
            _ = try Configuration.load(from: path)
        } catch {
            #expect(error.description == "\(path):1:1: error: 'max-rows' must be a whole number from 1 to 1073741824")
        }
    }

    @Test func optionsOnTheCommandLine() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = "\(folder)/RVU26A.sqlite"
        let usage = try Binary.run(["--release", "RVU26A", "--output", output, "--max-member-mib", "0"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--max-member-mib must be a whole number from 1 to 1073741824"))

        let rows = try Binary.run(["--release", "RVU26A", "--output", output, "--max-rows", "100"])
        #expect(rows.status == 1)
        #expect(
            rows.stderr.contains(
                ": error: the release has more than 100 data rows in all; is this really a CMS release? if it is, raise --max-rows\n"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try Binary.run(["--release", "RVU26A", "--output", output, "--max-rows", "1000"]).status == 0)
    }

    @Test func anHTMLPageThroughTheBinary() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("<html><body>Service Unavailable</body></html>\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/RVU26A.zip"))
        let output = "\(folder)/out/RVU26A.sqlite"
        let result = try Binary.run(["--release", "RVU26A", "--source", folder, "--output", output])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "RVU26A.zip: error: this is an HTML page, not a zip archive: it starts with '<html><body>Service Unavailabl'; "
                + "the download got a web page (an error or sign-in page) instead of the release, download it again\n"
        )
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/out"))
    }
}
