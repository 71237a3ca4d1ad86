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
    /// Reads a file into memory, as an error diagnostic when it cannot be read.
    public static func readFile(_ path: String) throws(DiagnosticError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(
                "unreadable-file", "cannot read the file; check that it exists and is readable", at: SourceLocation(file: path))
        }
        return [UInt8](data)
    }

    /// Imports a located release.
    public static func importRelease(
        _ input: ReleaseInput, release: ReleaseID, options: ReleaseImporter.Options = .init()
    ) throws(DiagnosticError) -> ImportedRelease {
        switch input {
        case .archive(let path):
            let bytes = try readFile(path)
            let name = (path as NSString).lastPathComponent
            return try ReleaseImporter.importArchive(bytes: bytes, name: name, release: release, options: options)
        case .folder(let path, let files):
            let folderName = (path as NSString).lastPathComponent
            let sources = files.map { file in
                let full = ReleaseLocator.join(path, file)
                return ReleaseImporter.MemberSource(name: file, location: "\(folderName)/\(file)") { () throws(DiagnosticError) in
                    try readFile(full)
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
        let name = (path as NSString).lastPathComponent
        let release = (try? ReleaseID(parsing: name)) ?? ReleaseID(year: 2000, quarter: .a)
        if name.lowercased().hasSuffix(".zip") {
            let bytes = try readFile(path)
            return try ReleaseImporter.importArchive(bytes: bytes, name: name, release: release, options: options)
        }
        guard ReleaseImporter.canRead(name: name, kind: kind) else {
            throw DiagnosticError(
                "unknown-dataset",
                "cannot tell which dataset this file holds from its name; pass --dataset pprrvu|gpci|locco|anes|oppscap (and use a .csv, .txt or .xlsx file)",
                at: SourceLocation(file: path))
        }
        let source = ReleaseImporter.MemberSource(name: name, location: path) { () throws(DiagnosticError) in try readFile(path) }
        return ReleaseImporter.importMembers([source], sourceName: name, sourceSHA256: nil, release: release, options: options, kind: kind)
    }
}
