import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Headless Chromium for the preview site's browser tests: the page's DOM after its scripts ran
/// (`--dump-dom`) and screenshots. Each run has its own temporary profile and a time limit; the
/// browser starts in a process group of its own, which is killed whole when the limit passes.
public enum HeadlessBrowser {
    /// The browser: `$CHROMIUM` when set, else `chromium` or `chromium-browser` on the `PATH`;
    /// nil when none is installed.
    public static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["CHROMIUM"], !chosen.isEmpty {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }()

    /// True when a browser is installed.
    public static var available: Bool { path != nil }

    /// True in CI (`CI=true`), where the browser tests must run rather than skip.
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A browser run that failed: it could not start, timed out or exited with an error.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The DOM of `url` after its scripts ran, serialized as HTML.
    public static func dom(of url: URL, timeout: Duration = .seconds(60)) throws -> String {
        let output = try run(["--dump-dom", url.absoluteString], timeout: timeout)
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes a PNG screenshot of `url`, `width` by `height` CSS pixels, to `file`.
    public static func screenshot(of url: URL, to file: String, width: Int, height: Int, timeout: Duration = .seconds(60)) throws {
        _ = try run(
            ["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(file)", url.absoluteString], timeout: timeout)
    }

    /// Runs the browser headless with `arguments` and returns its standard output. Standard error
    /// goes to a file whose end is quoted when the run fails.
    static func run(_ arguments: [String], timeout: Duration) throws -> Data {
        guard let path else { throw Failure(description: "no browser installed (set CHROMIUM or install chromium)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("browser-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(folder)/profile", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let all =
            [
                path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--user-data-dir=\(folder)/profile",
            ] + arguments
        let pid = try spawn(all, stdout: "\(folder)/stdout", stderr: "\(folder)/stderr")
        let started = ContinuousClock.now
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0, errno != EINTR { throw Failure(description: "waitpid: \(String(cString: strerror(errno)))") }
            if ContinuousClock.now - started > timeout {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw Failure(description: "\(path) did not finish within \(timeout); killed. \(tail(of: "\(folder)/stderr"))")
            }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)  // helpers the browser left behind, if any
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        guard exited, code == 0 else {
            throw Failure(
                description:
                    "\(path) \(exited ? "exited with \(code)" : "was killed by signal \(status & 0x7F)"). \(tail(of: "\(folder)/stderr"))")
        }
        return (try? Data(contentsOf: URL(fileURLWithPath: "\(folder)/stdout"))) ?? Data()
    }

    /// Starts `arguments` in a new process group with its output sent to files.
    static func spawn(_ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(result)))") }
        return pid
    }

    /// The last lines of a log file, for a failure message.
    static func tail(of file: String) -> String {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return "Its last output: " + text.split(separator: "\n").suffix(5).joined(separator: " | ")
    }
}
