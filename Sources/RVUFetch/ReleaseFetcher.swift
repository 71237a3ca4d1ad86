import Foundation
import RVUCore

/// Gets a release archive into the cache:
///
///     cache -> manifest (pinned address, sha-256, size) -> CMS index page -> release page
///           -> (licence page, only when accepted) -> download -> check -> cache
///
/// The manifest is skipped when a CMS page address was given (`--cms-url`); `--offline` stops
/// after the cache. Every download is checked before it is stored (``ReleaseCache``).
public enum ReleaseFetcher {
    /// Where to look and what the user allowed.
    public struct Options: Sendable {
        /// The cache folder.
        public var cache: ReleaseCache
        /// The CMS index page.
        public var indexURL: String
        /// False when the user gave `--cms-url`: the manifest is not consulted.
        public var useManifest: Bool
        /// The manifest: the pinned entries, plus `manifest.json` in the cache or `--manifest`.
        public var manifest: ReleaseManifest
        /// Use the cache only.
        public var offline: Bool
        /// The user opted in to CMS's AMA licence click-through.
        public var acceptLicense: Bool
        /// Called as a download progresses: the file name, bytes so far, total if known.
        public var progress: (@Sendable (_ name: String, _ received: Int, _ expected: Int?) -> Void)?
        /// Timeouts and retries.
        package var retryPolicy = HTTPClient.RetryPolicy()

        /// Options with the real CMS page, the pinned manifest and the default cache.
        public init(
            cache: ReleaseCache = ReleaseCache(directory: ReleaseCache.defaultDirectory()), indexURL: String? = nil,
            manifest: ReleaseManifest = .pinned, offline: Bool = false, acceptLicense: Bool = false
        ) {
            self.cache = cache
            self.indexURL = indexURL ?? CMSPages.defaultIndexURL
            self.useManifest = indexURL == nil
            self.manifest = manifest
            self.offline = offline
            self.acceptLicense = acceptLicense
        }

        /// The manifest with the cache's `manifest.json` and the file at `path` added, in that order.
        public mutating func loadManifest(extra path: String?) throws(DiagnosticError) {
            let cached = cache.directory + "/manifest.json"
            if FileManager.default.fileExists(atPath: cached) { manifest = manifest.merged(with: try .load(from: cached)) }
            if let path { manifest = manifest.merged(with: try .load(from: path)) }
        }
    }

    /// Where an archive came from.
    public enum Origin: String, Sendable, Codable {
        case cache, manifest, cms
    }

    /// An archive in the cache.
    public struct Fetched: Sendable {
        /// The release and the revision the archive holds.
        public let release: ReleaseID
        /// The archive's path in the cache.
        public let path: String
        /// Where it came from: the cache, the manifest's address or the CMS pages.
        public let origin: Origin
        /// The address it was downloaded from (nil when it came from the cache).
        public let url: String?
        /// The archive's SHA-256, lowercase hex.
        public let sha256: String
        /// True when the cache did not hold this file with these bytes before.
        public let changed: Bool
    }

    /// A release the manifest or the CMS page offers.
    public struct Offered: Sendable, Equatable {
        /// The release, with the revision the archive name shows when it shows one.
        public let release: ReleaseID
        /// Who offers it: the manifest, the CMS page, or (offline) the cache.
        public let origin: Origin
        /// The archive's or release page's address.
        public let url: String
        /// The pinned SHA-256 (manifest entries only).
        public let sha256: String?
        /// The path of the newest cached archive of this release, if any.
        public let cachedPath: String?
    }

    /// The archive of `release`: from the cache when `preferCache` and it holds one, else
    /// downloaded (manifest first unless `--cms-url`, else the CMS pages).
    public static func fetch(_ release: ReleaseID, options: Options, preferCache: Bool = true) throws(DiagnosticError) -> Fetched {
        if preferCache || options.offline, let cached = options.cache.newest(release) {
            let bytes = FileManager.default.contents(atPath: cached.path).map { [UInt8]($0) } ?? []
            return Fetched(
                release: cached.release, path: cached.path, origin: .cache, url: nil, sha256: SHA256.hex(bytes), changed: false)
        }
        if options.offline {
            throw DiagnosticError(
                .notCached,
                "\(release) is not in the cache and --offline forbids downloading; run 'rvuimport fetch --release \(release)' while online, or pass --source with the archive",
                at: SourceLocation(file: options.cache.directory))
        }
        let client = HTTPClient(policy: options.retryPolicy)
        if options.useManifest, let entry = options.manifest.entry(for: release) {
            // A pinned archive already in the cache needs no download: its bytes cannot change.
            let cachedPath = options.cache.path(for: entry.release)
            if let bytes = FileManager.default.contents(atPath: cachedPath), SHA256.hex([UInt8](bytes)) == entry.sha256 {
                return Fetched(
                    release: entry.release, path: cachedPath, origin: .cache, url: entry.url, sha256: entry.sha256, changed: false)
            }
            guard let url = URL(string: entry.url) else {
                throw DiagnosticError(.manifestInvalid, "the manifest's address for \(entry.release) is not a URL", at: nil)
            }
            let (response, bytes) = try download(url, as: entry.release, client: client, options: options)
            let stored = try options.cache.store(
                bytes, as: entry.release, from: response.url, contentType: response.contentType, expected: entry)
            return Fetched(
                release: entry.release, path: stored.path, origin: .manifest, url: entry.url, sha256: stored.sha256,
                changed: stored.changed)
        }
        guard let indexURL = URL(string: options.indexURL), indexURL.scheme == "http" || indexURL.scheme == "https" else {
            throw DiagnosticError(
                .badCmsUrl, "not an http or https address; pass --cms-url with the CMS page's address",
                at: SourceLocation(file: options.indexURL))
        }
        let link = try CMSPages(indexURL: indexURL, client: client).archiveLink(for: release)
        let (response, bytes) = try download(link.url, as: link.release, client: client, options: options)
        let pinned = options.useManifest ? options.manifest.entries.first { $0.url == link.url.absoluteString } : nil
        let stored = try options.cache.store(
            bytes, as: link.release, from: response.url, contentType: response.contentType, expected: pinned)
        return Fetched(
            release: link.release, path: stored.path, origin: .cms, url: link.url.absoluteString, sha256: stored.sha256,
            changed: stored.changed)
    }

    /// The releases the manifest and the CMS index page offer, newest first; with `offline`, the
    /// manifest's and the cache's.
    public static func offered(options: Options) throws(DiagnosticError) -> [Offered] {
        var offered: [Offered] = []
        func cachedPath(_ release: ReleaseID) -> String? { options.cache.newest(release)?.path }
        if options.useManifest {
            for entry in options.manifest.entries {
                offered.append(
                    Offered(
                        release: entry.release, origin: .manifest, url: entry.url, sha256: entry.sha256,
                        cachedPath: cachedPath(entry.release)))
            }
        }
        if options.offline {
            for archive in options.cache.archives() where !offered.contains(where: { $0.release == archive.release }) {
                offered.append(Offered(release: archive.release, origin: .cache, url: archive.path, sha256: nil, cachedPath: archive.path))
            }
        } else {
            guard let indexURL = URL(string: options.indexURL), indexURL.scheme == "http" || indexURL.scheme == "https" else {
                throw DiagnosticError(
                    .badCmsUrl, "not an http or https address; pass --cms-url with the CMS page's address",
                    at: SourceLocation(file: options.indexURL))
            }
            let links = try CMSPages(indexURL: indexURL, client: HTTPClient(policy: options.retryPolicy)).offered()
            var seen = Set<String>()
            for link in links where seen.insert(link.url.absoluteString).inserted {
                offered.append(
                    Offered(
                        release: link.release, origin: .cms, url: link.url.absoluteString, sha256: nil,
                        cachedPath: cachedPath(link.release)))
            }
        }
        return offered.enumerated().sorted { left, right in
            left.element.release != right.element.release ? right.element.release < left.element.release : left.offset < right.offset
        }.map(\.element)
    }

    /// Downloads `release`'s archive, taking CMS's licence step when the user opted in. Returns the
    /// response that carried the archive and its bytes; a non-zip is refused later, by the cache.
    static func download(
        _ url: URL, as release: ReleaseID, client: HTTPClient, options: Options
    ) throws(DiagnosticError) -> (HTTPResponse, [UInt8]) {
        let name = ReleaseCache.fileName(for: release)
        var progress: HTTPClient.Progress?
        if let report = options.progress {
            progress = { received, expected in report(name, received, expected) }
        }
        var request = HTTPClient.Request(url: url)
        // At most two licence pages: a second accept that leads to a licence page again is a loop.
        for _ in 0..<3 {
            let response = try client.perform(request, progress: progress)
            let location = SourceLocation(file: response.url.absoluteString)
            guard response.status == 200 else {
                throw DiagnosticError(
                    .downloadFailed,
                    "the archive's address answered \(response.statusText); the page may have changed: check --cms-url or the manifest",
                    at: location)
            }
            guard ResponseSummary.isHTML(response.body),
                let document = try? HTMLDocument(bytes: response.body, url: response.url),
                let license = LicensePage(document, url: response.url, body: response.body)
            else { return (response, response.body) }
            guard options.acceptLicense else { throw license.notAcceptedError() }
            guard let accept = license.acceptRequest else {
                throw DiagnosticError(
                    .cmsPageChanged,
                    "CMS shows a licence page without an Accept link or button; the page may have changed: download the archive in a browser and pass --source",
                    at: location)
            }
            request = accept
        }
        throw DiagnosticError(
            .cmsPageChanged, "accepting the licence leads back to a licence page; download the archive in a browser and pass --source",
            at: SourceLocation(file: url.absoluteString))
    }
}
