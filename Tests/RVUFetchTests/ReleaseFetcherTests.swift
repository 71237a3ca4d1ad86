import Foundation
import RVUCore
import RVUTestSupport
import Testing

@testable import RVUFetch

/// A temporary folder removed at the end of a test.
struct TemporaryFolder: ~Copyable {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func names(_ relative: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + relative)) ?? []).sorted()
    }
}

/// Fetcher options for the fake site: quick retries, every wait bounded by a few seconds.
func loopbackOptions(_ site: FakeCMS, cache: String, accept: Bool = true, index: String? = nil) -> ReleaseFetcher.Options {
    var options = ReleaseFetcher.Options(
        cache: ReleaseCache(directory: cache), indexURL: index ?? site.indexURL, acceptLicense: accept)
    options.retryPolicy = HTTPClient.RetryPolicy(
        attempts: 2, initialBackoff: .milliseconds(20), totalTime: .seconds(5), requestTimeout: 5, resourceTimeout: 10)
    return options
}

/// A release id from a literal.
func id(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ReleaseID {
    do { return try ReleaseID(parsing: text) } catch {
        Issue.record("\(error)", sourceLocation: sourceLocation)
        return ReleaseID(year: 2000, quarter: .a)
    }
}

/// Expects `body` to throw a DiagnosticError and returns it.
func expectDiagnostic(
    _ body: () throws(DiagnosticError) -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    do throws(DiagnosticError) {
        try body()
        Issue.record("expected an error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error.diagnostic
    }
}

/// Progress reports, collected from the delegate queue.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    func add(_ line: String) { lock.withLock { collected.append(line) } }
    var lines: [String] { lock.withLock { collected } }
}

@Suite struct ReleaseFetcherTests {
    @Test func scrapesFollowsRedirectsAndTheAcceptedLicence() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-cache")
        var options = loopbackOptions(site, cache: cache.path)
        let reports = ProgressLog()
        options.progress = { name, received, expected in reports.add("\(name) \(received) \(expected.map(String.init) ?? "?")") }
        let fetched = try ReleaseFetcher.fetch(id("RVU26A"), options: options, preferCache: false)
        // Progress is reported for the archive only, never for the HTML pages on the way.
        #expect(reports.lines.allSatisfy { $0.hasPrefix("RVU26A-updated-2025-12-29.zip ") && $0.hasSuffix(" \(site.rvu26a.count)") })
        #expect(reports.lines.last == "RVU26A-updated-2025-12-29.zip \(site.rvu26a.count) \(site.rvu26a.count)")
        // The newest revision on the release page, named canonically in the cache.
        #expect(fetched.release.description == "RVU26A-updated-2025-12-29")
        #expect(fetched.origin == .cms)
        #expect(fetched.url == site.server.baseURL + "/license/ama?file=/files/zip/rvu26a-updated-12-29-2025.zip")
        #expect(fetched.sha256 == SHA256.hex(site.rvu26a))
        #expect(fetched.changed)
        #expect(cache.names() == ["RVU26A-updated-2025-12-29.zip"])
        #expect(
            site.server.requests == [
                "GET /pfs", "GET /pfs/", "GET /pfs/rvu26a", "GET /license/ama?file=/files/zip/rvu26a-updated-12-29-2025.zip",
                "GET /license/accept?op=accept&file=/files/zip/rvu26a-updated-12-29-2025.zip",
                "GET /files/zip/rvu26a-updated-12-29-2025.zip", "GET /downloads/RVU26A.zip",
            ])
        // Downloaded again, the same bytes leave the cache as it was.
        let again = try ReleaseFetcher.fetch(
            id("RVU26A"), options: loopbackOptions(site, cache: cache.path), preferCache: false)
        #expect(!again.changed && again.path == fetched.path)
        // From the cache, with the server stopped.
        site.stop()
        var offline = loopbackOptions(site, cache: cache.path)
        offline.offline = true
        let cached = try ReleaseFetcher.fetch(id("RVU26A"), options: offline)
        #expect(cached.origin == .cache && cached.path == fetched.path && cached.sha256 == fetched.sha256)
    }

    @Test func theLicenceIsAcceptedOnlyWhenTheUserOptedIn() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-licence")
        let diagnostic = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(
                id("RVU26A"), options: loopbackOptions(site, cache: cache.path, accept: false), preferCache: false)
        }
        #expect(diagnostic?.code == .licenseNotAccepted)
        #expect(
            diagnostic?.description
                == "\(site.server.baseURL)/license/ama?file=/files/zip/rvu26a-updated-12-29-2025.zip: error: CMS asks to accept a licence before this download ('License Agreement | CMS'); accepting it is a legal act, so rvuimport does it only when you opt in: read the licence at this address, then pass --accept-ama-license or set 'accept_ama_license: true' in rvuimport.yaml"
        )
        #expect(!site.server.requests.contains { $0.contains("/license/accept") }, "the accept link was not followed")
        #expect(cache.names().isEmpty)
    }

    // Skipped (and reported so) without the real release in $RVU_SHARED_CMS.
    @Test(.enabled(if: FakeCMS.sharedRelease("RVU24B.zip") != nil, "needs RVU24B.zip in $RVU_SHARED_CMS"))
    func aLicenceFormIsPostedAndCMSDatedNamesAreRead() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-form")
        let fetched = try ReleaseFetcher.fetch(
            id("RVU24B"), options: loopbackOptions(site, cache: cache.path), preferCache: false)
        #expect(fetched.release.description == "RVU24B-updated-2024-03-18")
        #expect(site.server.requests.contains("POST /license/accept"))
        #expect(site.server.requests.last == "GET /files/zip/rvu24b-updated-03/18/2024.zip", "a GET after the POST's redirect")
        // The pinned manifest's checksum is the real archive's.
        #expect(fetched.sha256 == ReleaseManifest.pinned.entry(for: id("RVU24B"))?.sha256)
    }

    @Test func anHTMLPageWhereAZipWasExpectedIsRefused() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-html")
        let diagnostic = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU25D"), options: loopbackOptions(site, cache: cache.path))
        }
        let size = ResponseSummary.grouped(FakeCMS.errorPage.utf8.count)
        #expect(diagnostic?.code == .downloadNotAZip)
        #expect(
            diagnostic?.description
                == "\(site.server.baseURL)/files/zip/rvu25d.zip: error: expected a zip archive but got an HTML page (text/html, \(size) bytes) starting '<!DOCTYPE html><html lang=\"en\"><head><ti…'; nothing was stored"
        )
        #expect(cache.names().isEmpty)
    }

    @Test func aDroppedConnectionIsRetriedThenReported() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-drop")
        let diagnostic = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU25C"), options: loopbackOptions(site, cache: cache.path))
        }
        #expect(diagnostic?.code == .network)
        #expect(diagnostic?.location?.file == site.server.baseURL + "/files/zip/rvu25c.zip")
        #expect(diagnostic?.message.contains("(2 attempts in ") == true, "\(diagnostic?.message ?? "")")
        #expect(site.server.requests.filter { $0 == "GET /files/zip/rvu25c.zip" }.count == 2)
        #expect(cache.names().isEmpty)
    }

    @Test func aServerErrorIsRetried() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-retry")
        let fetched = try ReleaseFetcher.fetch(id("RVU25B"), options: loopbackOptions(site, cache: cache.path))
        #expect(fetched.sha256 == SHA256.hex(site.rvu25b))
        #expect(site.server.requests.filter { $0 == "GET /files/zip/rvu25b.zip" }.count == 2)
    }

    @Test func aChecksumMismatchIsRefused() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-checksum")
        let wrong = String(repeating: "0", count: 64)
        var options = ReleaseFetcher.Options(
            cache: ReleaseCache(directory: cache.path),
            manifest: ReleaseManifest(entries: [
                .init(
                    release: id("RVU26A"), url: site.server.baseURL + "/mirror/RVU26A.zip", sha256: wrong,
                    size: site.rvu26a.count)
            ]))
        options.retryPolicy = loopbackOptions(site, cache: cache.path).retryPolicy
        let diagnostic = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU26A"), options: options)
        }
        #expect(diagnostic?.code == .checksumMismatch)
        #expect(
            diagnostic?.message
                == "the download is not the archive the manifest pins for RVU26A: got \(ResponseSummary.grouped(site.rvu26a.count)) bytes with sha-256 \(SHA256.hex(site.rvu26a)), expected \(ResponseSummary.grouped(site.rvu26a.count)) bytes with sha-256 \(wrong); it was not stored. If CMS re-posted the file, check it and update the manifest"
        )
        #expect(site.server.requests == ["GET /mirror/RVU26A.zip"], "the manifest is consulted before the page")
        #expect(cache.names().isEmpty)

        // With the right checksum the archive is stored; once cached, a pinned archive is not
        // downloaded again.
        options.manifest.entries[0].sha256 = SHA256.hex(site.rvu26a)
        let fetched = try ReleaseFetcher.fetch(id("RVU26A"), options: options, preferCache: false)
        #expect(fetched.origin == .manifest && fetched.changed)
        let again = try ReleaseFetcher.fetch(id("RVU26A"), options: options, preferCache: false)
        #expect(again.origin == .cache && !again.changed && again.path == fetched.path)
        #expect(site.server.requests == ["GET /mirror/RVU26A.zip", "GET /mirror/RVU26A.zip"])
    }

    @Test func aPageWithoutTheReleaseSaysWhatItOffers() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-missing")
        let missing = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU22C"), options: loopbackOptions(site, cache: cache.path))
        }
        #expect(
            missing?.description
                == "\(site.indexURL): error: the CMS page offers no release RVU22C (it links RVU23A, RVU24B, RVU25B, RVU25C, RVU25D, RVU26A, RVU26B); check the id, or use a release the page offers"
        )
        let noZip = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU23A"), options: loopbackOptions(site, cache: cache.path))
        }
        #expect(
            noZip?.description
                == "\(site.server.baseURL)/pfs/rvu23a: error: the RVU23A release page links no zip archive yet; try again later (if it stays so, the page may have changed: download the archive by hand and pass --source)"
        )
        #expect(noZip?.code == .releaseNotAvailable)
        // A release announced on the index whose page is not up yet.
        let notYet = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU26B"), options: loopbackOptions(site, cache: cache.path))
        }
        #expect(notYet?.code == .releaseNotAvailable)
        #expect(
            notYet?.description
                == "\(site.server.baseURL)/pfs/rvu26b: error: the RVU26B release page answered 404 Not Found: not available yet; try again later"
        )
        let revision = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU26AR"), options: loopbackOptions(site, cache: cache.path))
        }
        #expect(revision?.code == .releaseNotOffered)
        #expect(revision?.message.hasSuffix("(it links RVU26A, RVU26A-updated-2025-12-29)") == true, "\(revision?.message ?? "")")
    }

    @Test(arguments: ["/not-cms", "/json", "/missing"])
    func aPageThatDoesNotLookAsExpectedIsReportedPlainly(_ path: String) throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-changed")
        let diagnostic = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(
                id("RVU26A"), options: loopbackOptions(site, cache: cache.path, index: site.server.baseURL + path))
        }
        let expected =
            switch path {
            case "/not-cms":
                "this page does not look like CMS's PFS relative value files page: it links no RVU release (no link named like RVU26A or rvu26a.zip); check --cms-url, or download the archive by hand and pass --source"
            case "/json":
                "expected the CMS relative value files page (HTML) but got a body (application/json, 16 bytes) starting '{\"releases\": []}'; check --cms-url"
            default: "the CMS relative value files page answered 404 Not Found; check --cms-url"
            }
        #expect(diagnostic?.message == expected)
        #expect(diagnostic?.location?.file == site.server.baseURL + path)
    }

    @Test func offlineUsesTheCacheOnly() throws {
        let cache = try TemporaryFolder("fetch-offline")
        var options = ReleaseFetcher.Options(cache: ReleaseCache(directory: cache.path), offline: true)
        options.retryPolicy.attempts = 1
        let diagnostic = expectDiagnostic { () throws(DiagnosticError) in
            _ = try ReleaseFetcher.fetch(id("RVU24B"), options: options)
        }
        #expect(
            diagnostic?.description
                == "\(cache.path): error: RVU24B is not in the cache and --offline forbids downloading; run 'rvuimport fetch --release RVU24B' while online, or pass --source with the archive"
        )
    }

    @Test func listsWhatThePageAndTheManifestOffer() throws {
        let site = try FakeCMS()
        defer { site.stop() }
        let cache = try TemporaryFolder("fetch-list")
        let fromPage = try ReleaseFetcher.offered(options: loopbackOptions(site, cache: cache.path))
        #expect(fromPage.map(\.release.shortName) == ["RVU26B", "RVU26A", "RVU25D", "RVU25C", "RVU25B", "RVU24B", "RVU23A"])
        #expect(fromPage.allSatisfy { $0.origin == .cms })
        var pinned = ReleaseFetcher.Options(cache: ReleaseCache(directory: cache.path), offline: true)
        pinned.manifest = .pinned
        let offline = try ReleaseFetcher.offered(options: pinned)
        #expect(offline.map(\.release.description) == ["RVU24B"])
        #expect(offline.first?.url == "https://www.cms.gov/files/zip/rvu24b-updated-03/18/2024.zip")
    }
}
