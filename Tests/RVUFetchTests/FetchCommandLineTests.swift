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
        // Announced but not there yet: its page answers 404, or links no zip.
        for release in ["RVU26B", "RVU23A"] {
            let notYet = try Tool.run(["fetch", "--release", release] + cache)
            #expect(notYet.status == 11, "\(release): \(notYet.stderr)")
            #expect(notYet.stderr.contains("try again later"))
        }
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
        #expect(releases?.compactMap { $0["base"] as? String } == ["RVU26B", "RVU26A", "RVU25D", "RVU25C", "RVU25B", "RVU24B", "RVU23A"])
        #expect(releases?.dropFirst().first?["cached"] as? String == folder.path + "/cache/RVU26A-updated-2025-12-29.zip")
        let text = try Tool.run(["releases"] + cache)
        #expect(
            text.stdout.hasPrefix(
                "RVU26B  cms       \(site.server.baseURL)/pfs/rvu26b\nRVU26A  cms       \(site.server.baseURL)/pfs/rvu26a  (cached: "))
    }

    /// Scripts/refresh.sh: publishes the newest release, then finds nothing new, refuses an
    /// archive the gate fails (leaving `current` alone), waits for no one, and reports a network
    /// failure, each with its own exit status.
    /// An import that cannot write its catalog (here a file-size limit) exits 74, and refresh.sh
    /// reports it as its own 74, "a file could not be written", not as an input error.
    @Test func refreshReportsAWriteFailureAs74() throws {
        let folder = try TemporaryFolder("refresh-74")
        let site = try FakeCMS()
        defer { site.stop() }
        let dir = folder.path + "/refresh"
        let script = Golden.repositoryRoot.appendingPathComponent("Scripts/refresh.sh").path
        let arguments =
            [script, "--dir", dir, "--release", "RVU26A", "--", "--cms-url", site.indexURL, "--cache", folder.path + "/cache"]
            + ["--accept-ama-license"]
        // 120 KiB: room for the archive (38 KB) and the logs, not for the catalog (about 200 KB).
        let result = try Tool.run(
            ["-c", "ulimit -f 120; exec " + arguments.map { "'\($0)'" }.joined(separator: " ")],
            executable: URL(fileURLWithPath: "/bin/bash"), environment: ["RVUIMPORT": Tool.url.path])
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("importing RVU26A-updated-2025-12-29: a file could not be written"), "\(result.stderr)")
        #expect(!result.stderr.contains("input error"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/current"))
    }

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
        // The newest offered, RVU26B, is announced but its page is not up: the next newest is taken.
        #expect(first.stderr.contains("RVU26B: not available yet (the release page answers 404 or links no zip); taking the next newest"))
        #expect(first.stderr.contains("newest release available: RVU26A"))
        let notYet = try refresh(["--release", "RVU26B"] + fetch)
        #expect(notYet.status == 11, "\(notYet.stderr)")
        #expect(
            notYet.stderr.contains("fetching RVU26B: not available yet (the release page answers 404 or links no zip); try again later"))
        #expect(!notYet.stderr.contains("network failure"))

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
            #expect(folder.names("refresh/reports/\(last)") == ["candidate.tsv", "diff.json", "diff.md", "diff.txt"])
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

        // --approve publishes exactly the catalog the failed gate's report was made from.
        let firstReport = dir + "/reports/" + (reports.first ?? "")
        let gatedReport = dir + "/reports/" + (reports.last ?? "")
        let candidate = try String(contentsOfFile: gatedReport + "/candidate.tsv", encoding: .utf8).split(separator: "\t").map(String.init)
        #expect(candidate.count == 5 && candidate.last == published + "\n", "\(candidate)")
        let refused = try refresh(["--approve", firstReport, "--reason", "no gate to approve"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("it has no candidate.tsv: only the report of a failed gate can be approved"))
        let candidateCatalog = candidate.count > 2 ? candidate[2] : ""
        let gatedCatalog = dir + "/" + candidateCatalog
        let original = try #require(FileManager.default.contents(atPath: gatedCatalog))
        try (original + Data([0])).write(to: URL(fileURLWithPath: gatedCatalog))
        let changed = try refresh(["--approve", gatedReport, "--reason", "checked"])
        #expect(changed.status == 1, "\(changed.stderr)")
        #expect(changed.stderr.contains("not \(candidate.count > 3 ? candidate[3] : "") the report was made from; run the refresh again"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/current") == published)
        try original.write(to: URL(fileURLWithPath: gatedCatalog))
        #expect(try refresh(["--approve", gatedReport, "--release", "RVU25B"]).status == 64)
        let approved = try refresh(["--approve", gatedReport, "--reason", "RUC revaluation, checked with billing"])
        #expect(approved.status == 0, "\(approved.stderr)")
        let user = try Tool.run(["-un"], executable: URL(fileURLWithPath: "/usr/bin/id")).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(approved.stderr.contains("past the failed gate, approved by \(user)"), "\(approved.stderr)")
        #expect(approved.stderr.contains(": RUC revaluation, checked with billing (report \(gatedReport)"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/current") == candidateCatalog)
        #expect(folder.names("refresh/reports/\(reports.last ?? "")").contains("approval.txt"))
        #expect(try refresh(["--approve", gatedReport]).status == 10)
    }

    /// Scripts/refresh.sh adds each catalog it publishes to DIR/history.sqlite, after the
    /// publish; when that fails (here a folder at the history path) the run exits 74 with the
    /// catalog published all the same, and the next run adds it.
    @Test func refreshKeepsTheHistoryAndAFailureThereLeavesTheCatalogPublished() throws {
        let folder = try TemporaryFolder("refresh-history")
        let site = try FakeCMS()
        defer { site.stop() }
        let fetch = ["--", "--cms-url", site.indexURL, "--cache", folder.path + "/cache", "--accept-ama-license"]
        func refresh(_ dir: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try Tool.run(
                [Golden.repositoryRoot.appendingPathComponent("Scripts/refresh.sh").path, "--dir", dir] + arguments,
                executable: URL(fileURLWithPath: "/bin/bash"), environment: ["RVUIMPORT": Tool.url.path])
        }
        let dir = folder.path + "/kept"
        let first = try refresh(dir, ["--release", "RVU26A"] + fetch)
        #expect(first.status == 0, "\(first.stderr)")
        let answer = try Tool.run(["wrvu", "--history", dir + "/history.sqlite", "99213", "--on", "2026-02-01", "--format", "csv"])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.stdout.contains(",A,1.30,"), "\(answer.stdout)")
        let older = try refresh(dir, ["--release", "RVU25B", "--fail-on", "removed-curated"] + fetch)
        #expect(older.status == 0, "\(older.stderr)")
        let earlier = try Tool.run(["wrvu", "--history", dir + "/history.sqlite", "99213", "--on", "2025-05-01", "--format", "json"])
        #expect(earlier.status == 0, "\(earlier.stderr)")
        #expect(earlier.stdout.contains(#""release_id": "RVU25B"#), "\(earlier.stdout)")

        let broken = folder.path + "/broken"
        try FileManager.default.createDirectory(atPath: broken + "/history.sqlite", withIntermediateDirectories: true)
        let failed = try refresh(broken, ["--release", "RVU26A"] + fetch)
        #expect(failed.status == 74, "\(failed.stderr)")
        #expect(failed.stderr.contains("to the history failed (rvuimport exit 74): it stays published"), "\(failed.stderr)")
        let published = try FileManager.default.destinationOfSymbolicLink(atPath: broken + "/current")
        #expect(published.hasPrefix("catalogs/RVU26A"))
        #expect(((try? String(contentsOfFile: broken + "/published.tsv", encoding: .utf8)) ?? "").contains(published))
        // Once the cause is gone, the next run (nothing new) adds what `current` points at.
        try FileManager.default.removeItem(atPath: broken + "/history.sqlite")
        let again = try refresh(broken, ["--release", "RVU26A"] + fetch)
        #expect(again.status == 10, "\(again.stderr)")
        #expect(try Tool.run(["wrvu", "--history", broken + "/history.sqlite", "99213", "--on", "2026-02-01"]).status == 0)
    }

    /// Scripts/refresh.sh killed (SIGKILL) right after each of its steps, then run again with the
    /// default gate: the file `current` points at is never written (same inode, same bytes), the
    /// gate is never skipped (an archive it refuses is refused again unless `current` was
    /// already switched to it), published.tsv ends up agreeing with `current`, and no temporary
    /// link or catalog is left. "switched, old script" is the state the script before this
    /// change left when killed between the switch and the line in published.tsv.
    @Test func refreshRecoversFromAKillAtEveryStep() throws {
        let folder = try TemporaryFolder("refresh-kill")
        let site = try FakeCMS()
        defer { site.stop() }
        let fetch = ["--", "--cms-url", site.indexURL, "--cache", folder.path + "/cache", "--accept-ama-license"]
        func refresh(_ dir: String, _ arguments: [String], killAfter step: String? = nil) throws -> (
            status: Int32, stdout: String, stderr: String
        ) {
            try Tool.run(
                [Golden.repositoryRoot.appendingPathComponent("Scripts/refresh.sh").path, "--dir", dir] + arguments,
                executable: URL(fileURLWithPath: "/bin/bash"),
                environment: ["RVUIMPORT": Tool.url.path, "RVU_REFRESH_KILL_AFTER": step ?? ""])
        }
        func live(_ dir: String) throws -> (target: String, inode: Int, bytes: Data?) {
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/current")
            let inode = try FileManager.default.attributesOfItem(atPath: dir + "/" + target)[.systemFileNumber] as? Int ?? -1
            return (target, inode, FileManager.default.contents(atPath: dir + "/" + target))
        }
        func published(_ dir: String) -> [String] {
            ((try? String(contentsOfFile: dir + "/published.tsv", encoding: .utf8)) ?? "").split(separator: "\n").map {
                String($0.split(separator: "\t").dropFirst(2).first ?? "")
            }
        }
        let base = folder.path + "/base"
        let first = try refresh(base, ["--release", "RVU26A"] + fetch)
        #expect(first.status == 0, "\(first.stderr)")
        let rvu26a = try live(base).target
        let rvu25b = "catalogs/RVU25B-\(SHA256.hex(site.rvu25b).prefix(12)).sqlite"

        let steps = ["fetched", "imported", "gated", "renamed", "intent", "linked", "switched", "recorded", "switched, old script"]
        for (index, step) in steps.enumerated() {
            let dir = folder.path + "/run\(index)"
            #expect(try Tool.run(["-a", base, dir], executable: URL(fileURLWithPath: "/bin/cp")).status == 0)
            // A gate that lets RVU25B through; the default one refuses it.
            let killed = try refresh(
                dir, ["--release", "RVU25B", "--fail-on", "removed-curated"] + fetch, killAfter: step.components(separatedBy: ",")[0])
            #expect(killed.status == 9, "\(step): \(killed.stderr)")
            if step.hasSuffix("old script") { try FileManager.default.removeItem(atPath: dir + "/.publishing") }
            let switched = step.hasPrefix("switched") || step == "recorded"
            let before = try live(dir)
            #expect(before.target == (switched ? rvu25b : rvu26a), "\(step)")

            let again = try refresh(dir, ["--release", "RVU25B"] + fetch)
            let after = try live(dir)
            #expect(after.target == before.target && after.inode == before.inode && after.bytes == before.bytes, "\(step)")
            #expect(published(dir) == (switched ? [rvu26a, rvu25b] : [rvu26a]), "\(step)")
            if switched {
                #expect(again.status == 10, "\(step): \(again.stderr)")
            } else {
                #expect(again.status == 3, "\(step): the gate refuses RVU25B again: \(again.stderr)")
            }
            let stray = (folder.names("run\(index)") + folder.names("run\(index)/catalogs")).filter {
                $0.hasPrefix(".") && $0 != ".lock" && $0 != ".history.sqlite.lock"
            }
            #expect(stray.isEmpty, "\(step): \(stray)")
        }
    }
}
