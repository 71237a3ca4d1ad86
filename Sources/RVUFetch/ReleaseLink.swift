import Foundation
import RVUCore

/// A link on a CMS page that names a release: either its archive (a `.zip`, possibly behind
/// CMS's licence page as `/license/ama?file=/files/zip/rvu24b.zip`) or the release's own page
/// (`.../pfs-relative-value-files/rvu26a`).
package struct ReleaseLink: Sendable, Hashable {
    /// The release, with the revision the archive's name carries (`rvu26a-updated-12-29-2025.zip`).
    package let release: ReleaseID
    /// The link's address, resolved against its page.
    package let url: URL
    /// True for an archive, false for a release page.
    package let isArchive: Bool
    /// The link's text on the page.
    package let text: String

    /// Creates a link.
    package init(release: ReleaseID, url: URL, isArchive: Bool, text: String) {
        self.release = release
        self.url = url
        self.isArchive = isArchive
        self.text = text
    }

    /// The release a link names, or nil when it names none.
    package init?(_ link: HTMLDocument.Link) {
        let components = URLComponents(url: link.url, resolvingAgainstBaseURL: true)
        // A licence page carries the archive's path in its query (`?file=/files/zip/rvu24b.zip`).
        let file = components?.queryItems?.first(where: { $0.name.lowercased() == "file" })?.value
        for candidate in [file, components?.percentEncodedPath.removingPercentEncoding].compactMap({ $0 }) {
            if candidate.lowercased().hasSuffix(".zip") {
                guard let release = ReleaseLink.releaseID(inArchivePath: candidate) else { continue }
                self.init(release: release, url: link.url, isArchive: true, text: link.text)
                return
            }
        }
        var path = link.url.path
        while path.hasSuffix("/") { path.removeLast() }
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        if let release = try? ReleaseID(parsing: last) {
            self.init(release: release, url: link.url, isArchive: false, text: link.text)
        } else if let release = try? ReleaseID(parsing: link.text), !link.text.lowercased().contains(".zip") {
            self.init(release: release, url: link.url, isArchive: false, text: link.text)
        } else {
            return nil
        }
    }

    /// The release an archive's path names: `/files/zip/rvu26a-updated-12-29-2025.zip`, and
    /// CMS's own `/files/zip/rvu24b-updated-03/18/2024.zip`, whose date holds slashes.
    package static func releaseID(inArchivePath path: String) -> ReleaseID? {
        var text = Substring(path)
        if text.lowercased().hasSuffix(".zip") { text = text.dropLast(4) }
        let lower = text.lowercased()
        var searchEnd = lower.endIndex
        while let range = lower.range(of: "rvu", options: .backwards, range: lower.startIndex..<searchEnd) {
            let offset = lower.distance(from: lower.startIndex, to: range.lowerBound)
            let candidate = String(text.dropFirst(offset))
            if let release = try? ReleaseID(parsing: candidate) { return release }
            searchEnd = range.lowerBound
        }
        return nil
    }
}
