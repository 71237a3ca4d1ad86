import Foundation
import RVUCore
import RVUTestSupport
import Testing

/// Runs the built `rvuimport` binary (and Scripts/refresh.sh) against the loopback site.
enum Tool {
    static var url: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rvuimport")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Golden.repositoryRoot.appendingPathComponent(".build/debug/rvuimport")
    }

    /// Runs `executable` (the tool by default) with a cache home of its own; bounded by `timeout`.
    static func run(
        _ arguments: [String], executable: URL = url, environment extra: [String: String] = [:], timeout: TimeInterval = 120
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Golden.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("rvuimport-test-cache").path
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = DispatchTime.now() + timeout
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: deadline)
        timer.setEventHandler { if process.isRunning { process.terminate() } }
        timer.resume()
        defer { timer.cancel() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.serialized) struct FetchCommandLineTests {
    /// The issue's must-show: a release imported from the loopback CMS, then again with the
    /// server stopped and `--offline`, gives the same catalog, byte for byte. The Samples'
    /// RVU26A always; the real RVU24B (below) when `$RVU_SHARED_CMS` has it.
    @Test func importsFromCMSThenOfflineFromTheCache() throws {
        let folder = try TemporaryFolder("cli-fetch")
        try FileManager.default.createDirectory(atPath: folder.path + "/empty", withIntermediateDirectories: true)
        let config = folder.path + "/rvuimport.yaml"
        try Data("source: \(folder.path)/empty\ncurated: \(Golden.samples("curated"))\n".utf8).write(to: URL(fileURLWithPath: config))
        let site = try FakeCMS()
        defer { site.stop() }
        let common = ["--release", "RVU26A", "--config", config, "--cache", folder.path + "/cache"]
        let online = try Tool.run(
            common + ["--cms-url", site.indexURL, "--accept-ama-license", "--output", folder.path + "/online.sqlite"])
        #expect(online.status == 0, "\(online.stderr)")
        #expect(folder.names("cache") == ["RVU26A-updated-2025-12-29.zip"])
        site.stop()
        let offline = try Tool.run(common + ["--offline", "--output", folder.path + "/offline.sqlite"])
        #expect(offline.status == 0, "\(offline.stderr)")
        let first = FileManager.default.contents(atPath: folder.path + "/online.sqlite")
        let second = FileManager.default.contents(atPath: folder.path + "/offline.sqlite")
        #expect(first != nil && first == second, "the offline catalog is byte-identical")
        // The same summary and catalog version; only the output path differs.
        #expect(online.stdout.contains("(catalog version RVU26A-"))
        #expect(online.stdout.replacingOccurrences(of: "/online.sqlite", with: "/offline.sqlite") == offline.stdout)
    }

    // Skipped (and reported so) without the real release in $RVU_SHARED_CMS.
    @Test(.enabled(if: FakeCMS.sharedRelease("RVU24B.zip") != nil, "needs RVU24B.zip in $RVU_SHARED_CMS"))
    func importsTheRealRVU24BFromCMSThenOffline() throws {
        let folder = try TemporaryFolder("cli-fetch-24b")
        let site = try FakeCMS()
        defer { site.stop() }
        // rvuimport.yaml's source (Samples/releases) has no RVU24B: it comes from the page.
        let cache = ["--cache", folder.path + "/cache"]
        let online = try Tool.run(
            ["--release", "RVU24B", "--cms-url", site.indexURL, "--accept-ama-license", "--output", folder.path + "/a.sqlite"] + cache)
        #expect(online.status == 0, "\(online.stderr)")
        #expect(online.stdout.contains("RVU24B"))
        site.stop()
        let offline = try Tool.run(["--release", "RVU24B", "--offline", "--output", folder.path + "/b.sqlite"] + cache)
        #expect(offline.status == 0, "\(offline.stderr)")
        let first = FileManager.default.contents(atPath: folder.path + "/a.sqlite")
        #expect(first != nil && first == FileManager.default.contents(atPath: folder.path + "/b.sqlite"))
    }

    @Test func exitCodesOfTheNetworkPaths() throws {
        let folder = try TemporaryFolder("cli-fetch-codes")
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = ["--cache", folder.path + "/cache", "--cms-url", site.indexURL]
        let licence = try Tool.run(["fetch", "--release", "RVU26A"] + cache)
        #expect(licence.status == 77)
        #expect(licence.stderr.contains("error: CMS asks to accept a licence before this download"))
        #expect(licence.stderr.contains("pass --accept-ama-license or set 'accept_ama_license: true' in rvuimport.yaml"))
        let html = try Tool.run(["fetch", "--release", "RVU25D"] + cache)
        #expect(html.status == 69)
        #expect(html.stderr.contains("error: expected a zip archive but got an HTML page (text/html, "), "\(html.stderr)")
        let missing = try Tool.run(["fetch", "--release", "RVU22C"] + cache)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("\(site.indexURL): error: the CMS page offers no release RVU22C"))
        let offline = try Tool.run(["--release", "RVU24C", "--offline", "--cache", folder.path + "/cache"])
        #expect(offline.status == 1)
        #expect(offline.stderr.contains("error: RVU24C is not in the cache and --offline forbids downloading"))
        #expect(try Tool.run(["fetch", "--release", "RVU26A", "--cms-url", "file:///tmp/x"]).status == 64)
        // An explicit --source is the only place searched: no download.
        let local = try Tool.run(["--release", "RVU24C", "--source", "Samples/releases"] + cache)
        #expect(local.status == 1 && local.stderr.hasPrefix("Samples/releases: error: no archive for RVU24C here"))
        #expect(!site.server.requests.contains { $0.contains("rvu24c") })

        let fetched = try Tool.run(["fetch", "--release", "RVU26A", "--accept-ama-license", "--format", "json"] + cache)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any]
        #expect(object?["release"] as? String == "RVU26A-updated-2025-12-29")
        #expect(object?["changed"] as? Bool == true)
        #expect(object?["path"] as? String == folder.path + "/cache/RVU26A-updated-2025-12-29.zip")
        let again = try Tool.run(["fetch", "--release", "RVU26A", "--accept-ama-license", "--format", "json"] + cache)
        #expect(again.stdout.contains("\"changed\": false"))

        let listed = try Tool.run(["releases", "--format", "json"] + cache)
        #expect(listed.status == 0, "\(listed.stderr)")
        let releases = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["releases"] as? [[String: Any]]
        #expect(releases?.compactMap { $0["base"] as? String } == ["RVU26A", "RVU25D", "RVU25C", "RVU25B", "RVU24B", "RVU23A"])
        #expect(releases?.first?["cached"] as? String == folder.path + "/cache/RVU26A-updated-2025-12-29.zip")
        let text = try Tool.run(["releases"] + cache)
        #expect(text.stdout.hasPrefix("RVU26A  cms       \(site.server.baseURL)/pfs/rvu26a  (cached: "))
    }

    /// Scripts/refresh.sh: publishes the newest release, then finds nothing new, refuses an
    /// archive the gate fails (leaving `current` alone), waits for no one, and reports a network
    /// failure, each with its own exit status.
    @Test func refreshPublishesOnlyAfterTheGate() throws {
        let folder = try TemporaryFolder("refresh")
        let site = try FakeCMS()
        defer { site.stop() }
        let dir = folder.path + "/refresh"
        let fetch = ["--", "--cms-url", site.indexURL, "--cache", folder.path + "/cache", "--accept-ama-license"]
        func refresh(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try Tool.run(
                [Golden.repositoryRoot.appendingPathComponent("Scripts/refresh.sh").path, "--dir", dir] + arguments,
                executable: URL(fileURLWithPath: "/bin/bash"), environment: ["RVUIMPORT": Tool.url.path])
        }
        let first = try refresh(fetch)
        #expect(first.status == 0, "\(first.stderr)")
        let published = "catalogs/RVU26A-updated-2025-12-29-\(SHA256.hex(site.rvu26a).prefix(12)).sqlite"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/current") == published)
        #expect(first.stderr.contains("published RVU26A-updated-2025-12-29: current -> \(published)"))

        let again = try refresh(fetch)
        #expect(again.status == 10, "\(again.stderr)")
        #expect(again.stderr.contains("nothing new: this archive was published already"))

        // An older archive: the diff gate fails, and current is left as it was.
        let gated = try refresh(["--release", "RVU25B"] + fetch)
        #expect(gated.status == 3, "\(gated.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/current") == published)
        let reports = folder.names("refresh/reports")
        #expect(reports.count == 2)
        if let last = reports.last {
            #expect(folder.names("refresh/reports/\(last)") == ["diff.json", "diff.md", "diff.txt"])
        }

        // Another run holds the lock: this one does nothing.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/bash")
        holder.arguments = ["-c", "exec 9>>\"$0\"; flock 9; exec sleep 30", dir + "/.lock"]
        try holder.run()
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        var held = false
        for _ in 0..<100 where !held {
            held = try Tool.run(["-n", dir + "/.lock", "true"], executable: URL(fileURLWithPath: "/usr/bin/flock")).status != 0
            if !held { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(held)
        let busy = try refresh(fetch)
        #expect(busy.status == 75, "\(busy.stderr)")
        holder.terminate()
        holder.waitUntilExit()

        site.stop()
        let offline = try refresh(fetch)
        #expect(offline.status == 69, "\(offline.stderr)")
        let log = (try? String(contentsOfFile: dir + "/refresh.log", encoding: .utf8)) ?? ""
        #expect(log.contains("another refresh is running"))
        #expect(log.contains("listing the releases: network failure; try again later"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/current") == published)
    }
}
