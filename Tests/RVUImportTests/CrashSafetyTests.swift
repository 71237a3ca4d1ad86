import Foundation
import RVUCatalog
import RVUTestSupport
import Testing

/// Kills the real `rvuimport` (SIGKILL) while it writes RVU26A over an RVU25D catalog at the same
/// path, at delays spread over a whole run, and checks every time that the previous catalog is
/// intact and readable and that nothing partial is visible at the output path; then that the
/// stale hidden files of the killed runs do not stop the next run.
@Suite(.serialized) struct CrashSafetyTests {
    /// Starts the binary writing `release` to `output`.
    static func start(_ release: String, output: String) throws -> Process {
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["--release", release, "--output", output]
        process.currentDirectoryURL = Golden.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The catalog's bytes, after checking that SQLite reads it whole.
    static func readable(_ path: String) throws -> (bytes: Data, version: String?) {
        let reader = try CatalogReader(path: path)
        #expect(try reader.integrityCheck() == "ok")
        return (try Data(contentsOf: URL(fileURLWithPath: path)), try reader.meta()["catalog_version"])
    }

    @Test func aKilledWriteLeavesThePreviousCatalog() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = "\(folder)/current.sqlite"

        let first = try Self.start("RVU25D", output: output)
        first.waitUntilExit()
        try #require(first.terminationStatus == 0)
        let previous = try Self.readable(output)
        try #require(previous.version?.hasPrefix("RVU25D-") == true)

        // How long a whole run of RVU26A takes here, to spread the kills over it.
        // It writes elsewhere; its catalog's version is what a finished run gives.
        let timingFolder = "\(folder)-timing"
        defer { try? FileManager.default.removeItem(atPath: timingFolder) }
        let timing = try Self.start("RVU26A", output: "\(timingFolder)/RVU26A.sqlite")
        let clock = ContinuousClock.now
        timing.waitUntilExit()
        let duration = ContinuousClock.now - clock
        try #require(timing.terminationStatus == 0)
        let finished = try Self.readable("\(timingFolder)/RVU26A.sqlite").version

        let points = 40
        var killedMidRun = 0
        var killedBeforeRename = 0
        var killedWhileWriting = 0  // a hidden temporary catalog was left: killed mid-write
        for point in 0..<points {
            // From the start to just past the end of a run, a little further each time.
            let delay = duration * (Double(point) / Double(points - 3))
            let process = try Self.start("RVU26A", output: output)
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidRun += 1
            }
            process.waitUntilExit()
            let now = try Self.readable(output)
            if process.terminationReason == .uncaughtSignal, now.version != finished {
                // Killed before the rename: the previous catalog, byte for byte.
                killedBeforeRename += 1
                #expect(now.bytes == previous.bytes, "kill \(point) after \(delay): the previous catalog changed")
                #expect(now.version == previous.version)
            } else if process.terminationReason == .uncaughtSignal {
                // Killed after the rename, before it exited: the whole new catalog.
                #expect(now.version == finished)
                try previous.bytes.write(to: URL(fileURLWithPath: output))
            } else {
                // It finished first: the new catalog is whole; put the previous one back.
                #expect(process.terminationStatus == 0)
                #expect(now.version == finished)
                try previous.bytes.write(to: URL(fileURLWithPath: output))
            }
            let all = try FileManager.default.contentsOfDirectory(atPath: folder)
            if all.contains(where: { $0.hasPrefix(".current.sqlite.tmp-") }) { killedWhileWriting += 1 }
            let visible = all.filter { !$0.hasPrefix(".") }
            #expect(visible == ["current.sqlite"], "kill \(point): \(visible)")
        }
        #expect(killedBeforeRename >= points / 2, "only \(killedBeforeRename) of \(points) runs were killed before the rename")
        print(
            "crash safety: \(points) runs of \(duration) each, \(killedMidRun) killed, \(killedBeforeRename) before the rename, \(killedWhileWriting) while writing the catalog"
        )

        // The hidden files a killed run leaves do not stop the next one, which clears them.
        let last = try Self.start("RVU26A", output: output)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        #expect(try Self.readable(output).version == finished)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(left == [".current.sqlite.lock", "current.sqlite"], "\(left)")
    }

    /// Three imports at once: each finishes or is refused, and what is left is one whole catalog
    /// with the version a run on its own gives.
    @Test func concurrentImportsLeaveOneWholeCatalog() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concurrent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let alone = try Self.start("RVU26A", output: "\(folder)/alone.sqlite")
        alone.waitUntilExit()
        let expected = try Self.readable("\(folder)/alone.sqlite").version
        let output = "\(folder)/shared.sqlite"
        let processes = try (0..<3).map { _ in try Self.start("RVU26A", output: output) }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { [0, 1].contains($0.terminationStatus) })
        #expect(processes.contains { $0.terminationStatus == 0 })
        #expect(try Self.readable(output).version == expected)
        let visible = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        #expect(visible == ["alone.sqlite", "shared.sqlite"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.contains(".tmp-") })
    }
}
