import Foundation
import RVUCore
import RVUImport

/// Runs the stages for a release:
///
///     release (zip or folder) -> ReleaseImporter -> ImportedRelease (typed, cross-checked records)
///
/// This type does the file I/O; the stages work on bytes and values. The CLI and the tests
/// call it.
public enum Pipeline {
    /// Reads a file into memory, as an error diagnostic when it cannot be read: one that does not
    /// exist, a folder, or anything but a regular file (a FIFO or a device is refused before it is
    /// opened, so a read never waits on a writer that does not come).
    public static func readFile(_ path: String) throws(DiagnosticError) -> [UInt8] {
        try RegularFile.check(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(
                .unreadableFile, "cannot read the file; check that it exists and is readable", at: SourceLocation(file: path))
        }
        return [UInt8](data)
    }

    /// Reads a file of at most `limit` bytes; a larger one is refused with `code` before it is read.
    static func readFile(_ path: String, limit: Int, code: DiagnosticCode, setting: ImportLimitSetting) throws(DiagnosticError) -> [UInt8] {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > limit {
            throw DiagnosticError(
                code,
                "the file is \(size) bytes, more than the limit of \(ImportLimits.describe(bytes: limit)); "
                    + "if it is genuine, raise --\(setting.rawValue)",
                at: SourceLocation(file: path))
        }
        let bytes = try readFile(path)
        guard bytes.count <= limit else {
            throw DiagnosticError(
                code,
                "the file is more than the limit of \(ImportLimits.describe(bytes: limit)); if it is genuine, raise --\(setting.rawValue)",
                at: SourceLocation(file: path))
        }
        return bytes
    }

    /// Imports a located release.
    public static func importRelease(
        _ input: ReleaseInput, release: ReleaseID, options: ReleaseImporter.Options = .init()
    ) throws(DiagnosticError) -> ImportedRelease {
        switch input {
        case .archive(let path):
            let bytes = try readFile(path, limit: options.limits.maximumArchiveBytes, code: .archiveTooLarge, setting: .maxArchiveMiB)
            let name = (path as NSString).lastPathComponent
            return try ReleaseImporter.importArchive(bytes: bytes, name: name, release: release, options: options)
        case .folder(let path, let files):
            let folderName = (path as NSString).lastPathComponent
            let sources = files.map { file in
                let full = ReleaseLocator.join(path, file)
                return ReleaseImporter.MemberSource(name: file, location: "\(folderName)/\(file)") { () throws(DiagnosticError) in
                    try readFile(full, limit: options.limits.maximumMemberBytes, code: .memberTooLarge, setting: .maxMemberMiB)
                }
            }
            return ReleaseImporter.importMembers(sources, sourceName: folderName, sourceSHA256: nil, release: release, options: options)
        }
    }

    /// Reads one dataset file or a whole archive for `rvuimport inspect`.
    ///
    /// A `.zip` is read as a release (all members, cross-checked, without requiring every
    /// dataset); a `.csv`, `.txt` or `.xlsx` file as one member whose dataset comes from a loose
    /// match of its name, or from `kind`.
    public static func inspect(
        path: String, kind: DatasetKind? = nil, options: ReleaseImporter.Options = .init()
    ) throws(DiagnosticError) -> ImportedRelease {
        var options = options
        options.requireAllDatasets = false
        try RegularFile.check(path)
        let name = (path as NSString).lastPathComponent
        // A file named for a release (`RVU24B.zip`, as in the download cache) is checked against
        // what its members say; another name names no release to check.
        let named = try? ReleaseID(parsing: name)
        options.checksRelease = named != nil
        let release = named ?? ReleaseID(year: 2000, quarter: .a)
        if name.lowercased().hasSuffix(".zip") {
            let bytes = try readFile(path, limit: options.limits.maximumArchiveBytes, code: .archiveTooLarge, setting: .maxArchiveMiB)
            return try ReleaseImporter.importArchive(bytes: bytes, name: name, release: release, options: options)
        }
        guard ReleaseImporter.canRead(name: name, kind: kind) else {
            throw DiagnosticError(
                .unknownDataset,
                "cannot tell which dataset this file holds from its name; pass --dataset pprrvu|gpci|locco|anes|oppscap (and use a .csv, .txt or .xlsx file)",
                at: SourceLocation(file: path))
        }
        let limit = options.limits.maximumMemberBytes
        let source = ReleaseImporter.MemberSource(name: name, location: path) { () throws(DiagnosticError) in
            try readFile(path, limit: limit, code: .memberTooLarge, setting: .maxMemberMiB)
        }
        return ReleaseImporter.importMembers([source], sourceName: name, sourceSHA256: nil, release: release, options: options, kind: kind)
    }
}
