import Foundation
import RVUCore
import RVUImport

/// Where a release's files are: one zip archive, or a folder of already-unpacked members.
public enum ReleaseInput: Sendable, Equatable {
    case archive(path: String)
    case folder(path: String, files: [String])

    /// The path, for messages.
    public var path: String {
        switch self {
        case .archive(let path), .folder(let path, _): path
        }
    }
}

/// Finds a release in a `--source` path.
///
/// Order, first match wins:
/// 1. `source` is a file: that archive, whatever its name.
/// 2. `source` is a folder holding archives named for the release (`RVU25D.zip`, `rvu25d.zip`,
///    `rvu25d-updated-09-15-2025.zip`; any case): the newest revision, or the one asked for
///    (`RVU25DR` takes only corrections; a dated id only that re-post). Other files are ignored.
/// 3. A sub-folder named for the release (`RVU25D/`) holding dataset members.
/// 4. `source` itself holds dataset members (`PPRRVU*.csv`, `GPCI*.txt`, ...).
/// A broken archive chosen here is an error later; there is never a fallback to another copy.
public enum ReleaseLocator {
    public static func locate(_ release: ReleaseID, in source: String) throws(DiagnosticError) -> ReleaseInput {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw DiagnosticError(
                .sourceNotFound, "no such file or folder; pass --source with a release archive or a folder of archives",
                at: SourceLocation(file: source))
        }
        guard isDirectory.boolValue else { return .archive(path: source) }
        let names = ((try? manager.contentsOfDirectory(atPath: source)) ?? []).sorted()
        let archives: [(ReleaseID, String)] = names.compactMap { name in
            guard name.lowercased().hasSuffix(".zip"), let id = try? ReleaseID(parsing: name), release.matches(id) else {
                return nil
            }
            return (id, name)
        }
        if let newest = archives.max(by: { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }) {
            return .archive(path: join(source, newest.1))
        }
        for name in names where (try? ReleaseID(parsing: name)).map(release.matches) == true {
            let folder = join(source, name)
            var nestedIsDirectory: ObjCBool = false
            if manager.fileExists(atPath: folder, isDirectory: &nestedIsDirectory), nestedIsDirectory.boolValue {
                let files = memberFiles(in: folder)
                if !files.isEmpty { return .folder(path: folder, files: files) }
            }
        }
        let files = memberFiles(in: source)
        if !files.isEmpty { return .folder(path: source, files: files) }
        let found = names.filter { $0.lowercased().hasSuffix(".zip") }
        throw DiagnosticError(
            .releaseNotFound,
            "no archive for \(release) here (looked for \(release.base.shortName).zip, \(release.base.shortName.lowercased())-updated-MM-DD-YYYY.zip and unpacked members)\(found.isEmpty ? "" : "; found \(found.joined(separator: ", "))")",
            at: SourceLocation(file: source))
    }

    /// The dataset files directly in a folder, sorted.
    static func memberFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { MemberInfo(name: $0) != nil }.sorted()
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
