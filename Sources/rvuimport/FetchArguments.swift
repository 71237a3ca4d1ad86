import ArgumentParser
import Foundation
import RVUCore
import RVUFetch
import RVUPipeline

/// The options that say where releases come from when they are not on disk: shared by
/// `import`, `fetch` and `releases`.
struct FetchArguments: ParsableArguments {
    @Option(
        name: .customLong("cms-url"),
        help: ArgumentHelp(
            "The CMS PFS relative value files page to scrape (default: \(CMSPages.defaultIndexURL)); giving it skips the manifest.",
            valueName: "url"))
    var cmsURL: String?

    @Option(help: ArgumentHelp("The download cache folder (default: $XDG_CACHE_HOME/rvuimport or ~/.cache/rvuimport).", valueName: "dir"))
    var cache: String?

    @Option(help: ArgumentHelp("A manifest file of pinned releases to add to the built-in one.", valueName: "file"))
    var manifest: String?

    @Flag(help: "Use the download cache only; never connect to the network.")
    var offline = false

    @Flag(
        name: .customLong("accept-ama-license"),
        help: "Accept CMS's AMA licence click-through when a download asks for it (a legal act: read the licence first).")
    var acceptAMALicense = false

    func validate() throws {
        if let cmsURL, URL(string: cmsURL).flatMap(\.scheme).map({ ["http", "https"].contains($0.lowercased()) }) != true {
            throw ValidationError("--cms-url must be an http or https address")
        }
    }

    /// The fetcher's options, with rvuimport.yaml's `cache` and `accept_ama_license` as defaults.
    func options(_ defaults: Configuration) throws(DiagnosticError) -> ReleaseFetcher.Options {
        let directory = cache ?? defaults.cache ?? ReleaseCache.defaultDirectory()
        var options = ReleaseFetcher.Options(
            cache: ReleaseCache(directory: directory), indexURL: cmsURL, offline: offline,
            acceptLicense: acceptAMALicense || defaults.acceptAMALicense)
        try options.loadManifest(extra: manifest)
        if isatty(STDERR_FILENO) == 1 {
            let meter = ProgressMeter()
            options.progress = { name, received, expected in meter.show(name, received, expected) }
        }
        return options
    }
}

/// A one-line download progress report on a terminal's standard error, redrawn at most ten
/// times a second.
final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = ContinuousClock.now - .seconds(1)

    func show(_ name: String, _ received: Int, _ expected: Int?) {
        lock.withLock {
            let now = ContinuousClock.now
            let complete = expected == received
            guard complete || now - lastDraw >= .milliseconds(100) else { return }
            lastDraw = now
            func megabytes(_ count: Int) -> String { String(format: "%.1f MB", Double(count) / 1_000_000) }
            var line = "\rdownloading \(name): \(megabytes(received))"
            if let expected, expected > 0 { line += " of \(megabytes(expected)) (\(received * 100 / expected)%)" }
            FileHandle.standardError.write(Data((line + "\u{1B}[K" + (complete ? "\n" : "")).utf8))
        }
    }
}
