import Foundation
import RVUCore

/// Releases whose archive is known by address, SHA-256 and size: consulted before the CMS page
/// is scraped, and a download that does not match is refused.
///
/// The pinned entries ship with the tool (``pinned``); a JSON file of the same shape adds or
/// replaces entries without a new build (`manifest.json` in the cache folder, or `--manifest`):
///
/// ```json
/// {"entries": [{"release": "RVU24B", "url": "https://www.cms.gov/files/zip/...zip",
///               "sha256": "a034...", "size": 3926903, "note": "how the checksum was verified"}]}
/// ```
/// Only entries whose checksum was verified against a real copy belong here.
public struct ReleaseManifest: Sendable, Equatable, Codable {
    /// One release archive.
    public struct Entry: Sendable, Equatable, Codable {
        /// The release (and revision) the archive holds.
        public var release: ReleaseID
        /// Where CMS publishes it.
        public var url: String
        /// SHA-256 of the archive, lowercase hex.
        public var sha256: String
        /// Size of the archive in bytes.
        public var size: Int
        /// How the checksum was verified.
        public var note: String?

        /// Creates an entry.
        public init(release: ReleaseID, url: String, sha256: String, size: Int, note: String? = nil) {
            self.release = release
            self.url = url
            self.sha256 = sha256
            self.size = size
            self.note = note
        }
    }

    /// The entries, in file order.
    public var entries: [Entry]

    /// Creates a manifest.
    public init(entries: [Entry]) { self.entries = entries }

    /// The entries that ship with the tool.
    ///
    /// RVU24B: the SHA-256 and size are those of the untouched copy of the CMS archive kept in
    /// `../shared/cms/RVU24B.zip` (members dated 2024-03-15), computed with `sha256sum` when this
    /// entry was written. The address is the one CMS published for the April 2024 release's
    /// 03/18/2024 posting, as cited by public code that downloads it; the build machine has no
    /// internet access, so the download itself was not repeated here. A download from it that
    /// does not match is refused, never imported.
    public static let pinned = ReleaseManifest(entries: [
        Entry(
            release: ReleaseID(year: 2024, quarter: .b),
            url: "https://www.cms.gov/files/zip/rvu24b-updated-03/18/2024.zip",
            sha256: "a03497146b0fb1440df785208fecb320c66a12aaac449d856533dc5a1be6da57", size: 3_926_903,
            note: "sha-256 and size of the untouched CMS archive in ../shared/cms/RVU24B.zip")
    ])

    /// The manifest in a JSON file.
    public static func load(from path: String) throws(DiagnosticError) -> ReleaseManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(
                .manifestUnreadable, "cannot read the manifest; check the path (--manifest)", at: SourceLocation(file: path))
        }
        let manifest: ReleaseManifest
        do {
            manifest = try JSONDecoder().decode(ReleaseManifest.self, from: data)
        } catch {
            throw DiagnosticError(
                .manifestInvalid,
                "not a release manifest: \(error); expected {\"entries\": [{\"release\", \"url\", \"sha256\", \"size\"}]}",
                at: SourceLocation(file: path))
        }
        for (index, entry) in manifest.entries.enumerated() {
            let problem: String? =
                if entry.sha256.count != 64 || !entry.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                    "'sha256' must be 64 lowercase hex digits"
                } else if entry.size <= 0 {
                    "'size' must be positive"
                } else if URL(string: entry.url).flatMap(\.scheme).map({ ["http", "https"].contains($0.lowercased()) }) != true {
                    "'url' must be an http or https address"
                } else {
                    nil
                }
            if let problem {
                throw DiagnosticError(
                    .manifestInvalid, "entry \(index + 1) (\(entry.release)): \(problem)", at: SourceLocation(file: path))
            }
        }
        return manifest
    }

    /// This manifest with `other`'s entries added; an entry of `other` for the same release
    /// replaces this one's.
    public func merged(with other: ReleaseManifest) -> ReleaseManifest {
        let replaced = Set(other.entries.map(\.release))
        return ReleaseManifest(entries: entries.filter { !replaced.contains($0.release) } + other.entries)
    }

    /// The newest entry for `release` (every revision of it when it names none).
    public func entry(for release: ReleaseID) -> Entry? {
        entries.filter { release.matches($0.release) }.max { $0.release < $1.release }
    }
}
