import Foundation
import RVUCore

/// Reads CMS's PFS relative-value-files pages: the index page linking each release (to its own
/// page or straight to its archive), and a release page linking the archive.
///
/// When a page no longer looks as expected (not HTML, no release links at all, a release page
/// without an archive) the error says so plainly rather than guessing.
package struct CMSPages: Sendable {
    /// The index page (`--cms-url`).
    package let indexURL: URL
    let client: HTTPClient

    /// The real CMS page.
    package static let defaultIndexURL = "https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files"

    /// Pages read through `client`, starting at `indexURL`.
    package init(indexURL: URL, client: HTTPClient) {
        self.indexURL = indexURL
        self.client = client
    }

    /// The release links on the index page, in page order.
    package func offered() throws(DiagnosticError) -> [ReleaseLink] {
        let links = try page(indexURL, what: "the CMS relative value files page").links.compactMap(ReleaseLink.init)
        guard !links.isEmpty else {
            throw DiagnosticError(
                .cmsPageChanged,
                "this page does not look like CMS's PFS relative value files page: it links no RVU release (no link named like RVU26A or rvu26a.zip); check --cms-url, or download the archive by hand and pass --source",
                at: SourceLocation(file: indexURL.absoluteString))
        }
        return links
    }

    /// The archive link for `release`: the newest matching revision on the index page, else on
    /// the release's own page.
    package func archiveLink(for release: ReleaseID) throws(DiagnosticError) -> ReleaseLink {
        let links = try offered()
        if let archive = Self.newestArchive(links, matching: release) { return archive }
        var pages: [URL] = []
        for link in links where !link.isArchive && link.release.base == release.base && !pages.contains(link.url) {
            pages.append(link.url)
        }
        guard !pages.isEmpty else {
            let names = Set(links.map(\.release.base)).sorted().map(\.shortName)
            throw DiagnosticError(
                .releaseNotOffered,
                "the CMS page offers no release \(release) (it links \(Self.list(names))); check the id, or use a release the page offers",
                at: SourceLocation(file: indexURL.absoluteString))
        }
        var found: [ReleaseLink] = []
        for url in pages {
            let what = "the \(release.base.shortName) release page"
            // A release announced on the index before its page or its zip is up: not yet available.
            let pageLinks = try page(url, what: what, missing: .releaseNotAvailable).links.compactMap(ReleaseLink.init)
            found += pageLinks.filter(\.isArchive)
            if let archive = Self.newestArchive(pageLinks, matching: release) { return archive }
        }
        let others = Set(found.map(\.release.description)).sorted()
        throw DiagnosticError(
            found.isEmpty ? .releaseNotAvailable : .releaseNotOffered,
            found.isEmpty
                ? "the \(release.base.shortName) release page links no zip archive yet; try again later (if it stays so, the page may have changed: download the archive by hand and pass --source)"
                : "the \(release.base.shortName) release page has no archive of \(release) (it links \(Self.list(others)))",
            at: SourceLocation(file: pages[0].absoluteString))
    }

    /// Fetches and parses an HTML page. With `missing`, a page that answers 404 or 410 is that
    /// diagnostic code: the page is not there yet.
    func page(_ url: URL, what: String, missing: DiagnosticCode? = nil) throws(DiagnosticError) -> HTMLDocument {
        let response = try client.perform(.init(url: url))
        let location = SourceLocation(file: response.url.absoluteString)
        if let missing, response.status == 404 || response.status == 410 {
            throw DiagnosticError(missing, "\(what) answered \(response.statusText): not available yet; try again later", at: location)
        }
        guard response.status == 200 else {
            throw DiagnosticError(
                .downloadFailed,
                "\(what) answered \(response.statusText); check --cms-url",
                at: location)
        }
        guard ResponseSummary.isHTML(response.body) || response.contentType?.lowercased().contains("html") == true else {
            throw DiagnosticError(
                .cmsPageChanged,
                "expected \(what) (HTML) but got \(ResponseSummary.describe(response.body, contentType: response.contentType)); check --cms-url",
                at: location)
        }
        return try HTMLDocument(bytes: response.body, url: response.url)
    }

    /// The newest archive among `links` that `release` matches.
    static func newestArchive(_ links: [ReleaseLink], matching release: ReleaseID) -> ReleaseLink? {
        links.filter { $0.isArchive && release.matches($0.release) }.max { $0.release < $1.release }
    }

    /// `A, B and 3 more`.
    static func list(_ names: [String]) -> String {
        guard names.count > 8 else { return names.joined(separator: ", ") }
        return names.prefix(8).joined(separator: ", ") + " and \(names.count - 8) more"
    }
}
