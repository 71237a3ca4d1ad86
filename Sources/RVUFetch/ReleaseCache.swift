import Foundation
import RVUContainers
import RVUCore

/// The folder where downloaded archives are kept, one file per release revision named by its
/// canonical id (`RVU24B.zip`, `RVU26A-updated-2025-12-29.zip`), so that the importer's
/// ``ReleaseID`` rules find the newest revision in it as in any folder of archives.
///
/// A file is written to a hidden temporary name beside its final one and renamed into place
/// only after it was checked: its SHA-256 when known, and that it opens as a zip.
public struct ReleaseCache: Sendable {
    /// The folder.
    public let directory: String

    /// A cache in `directory` (created when something is stored).
    public init(directory: String) { self.directory = directory }

    /// `$XDG_CACHE_HOME/rvuimport`, else `~/.cache/rvuimport`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/rvuimport" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/rvuimport"
    }

    /// The archive file name for a release revision.
    public static func fileName(for release: ReleaseID) -> String { "\(release.description).zip" }

    /// The path of a release revision's archive in the cache.
    public func path(for release: ReleaseID) -> String { join(Self.fileName(for: release)) }

    /// The cached archives, by release, oldest first.
    public func archives() -> [(release: ReleaseID, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> (ReleaseID, String)? in
            guard !name.hasPrefix("."), name.lowercased().hasSuffix(".zip"), let id = try? ReleaseID(parsing: name) else {
                return nil
            }
            return (id, join(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The newest cached archive of `release` (only the named revision when it names one).
    public func newest(_ release: ReleaseID) -> (release: ReleaseID, path: String)? {
        archives().last { release.matches($0.release) }
    }

    /// Checks a downloaded archive, then stores it atomically as `release`'s file. Returns its
    /// path, SHA-256, and whether the file was new or changed (false when an identical copy was
    /// there).
    package func store(
        _ bytes: [UInt8], as release: ReleaseID, from url: URL, contentType: String? = nil, expected: ReleaseManifest.Entry?
    ) throws(DiagnosticError) -> (path: String, sha256: String, changed: Bool) {
        let sha256 = SHA256.hex(bytes)
        try Self.verify(bytes, sha256: sha256, from: url, contentType: contentType, expected: expected)
        let path = self.path(for: release)
        if let existing = FileManager.default.contents(atPath: path), SHA256.hex([UInt8](existing)) == sha256 {
            return (path, sha256, false)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(
                .cacheUnwritable, "cannot create the cache folder: \(error.localizedDescription); pass --cache with a writable folder",
                at: SourceLocation(file: directory))
        }
        let temporary = join(".\(Self.fileName(for: release)).\(ProcessInfo.processInfo.processIdentifier).partial")
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw DiagnosticError(
                .cacheUnwritable, "cannot write to the cache folder; pass --cache with a writable folder",
                at: SourceLocation(file: directory))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw DiagnosticError(
                .cacheUnwritable, "cannot move the download into place: \(reason)", at: SourceLocation(file: path))
        }
        return (path, sha256, true)
    }

    /// Refuses what is not the expected archive: anything that does not open as a zip (saying
    /// what came back), or another size or checksum than the manifest's.
    package static func verify(
        _ bytes: [UInt8], sha256: String, from url: URL, contentType: String? = nil, expected: ReleaseManifest.Entry?
    ) throws(DiagnosticError) {
        let location = SourceLocation(file: url.absoluteString)
        let name = url.lastPathComponent
        let archive: ZipArchive
        do throws(DiagnosticError) {
            archive = try ZipArchive(bytes: bytes, name: name)
        } catch {
            let why = bytes.starts(with: [0x50, 0x4B]) ? " (\(error.diagnostic.message))" : ""
            throw DiagnosticError(
                .downloadNotAZip,
                "expected a zip archive but got \(ResponseSummary.describe(bytes, contentType: contentType))\(why); nothing was stored",
                at: location)
        }
        guard archive.entries.contains(where: { !$0.isDirectory }) else {
            throw DiagnosticError(.downloadNotAZip, "the zip archive is empty; nothing was stored", at: location)
        }
        if let expected, expected.sha256 != sha256 || expected.size != bytes.count {
            throw DiagnosticError(
                .checksumMismatch,
                "the download is not the archive the manifest pins for \(expected.release): got \(ResponseSummary.grouped(bytes.count)) bytes with sha-256 \(sha256), expected \(ResponseSummary.grouped(expected.size)) bytes with sha-256 \(expected.sha256); it was not stored. If CMS re-posted the file, check it and update the manifest",
                at: location)
        }
    }

    func join(_ name: String) -> String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }
}
