import Foundation
import RVUCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PreviewSite {
    /// Writes a new file with plain `open`/`write`: Foundation's `Data.write` syncs each file to
    /// disk, which made 17,000 pages take over a minute (the site is made durable as a whole by
    /// the final rename, and a crash before it leaves only the temporary folder).
    static func writeFile(_ path: String, _ text: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SiteFileError(path: path, errno: errno) }
        defer { close(descriptor) }
        var text = text
        try text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                guard written > 0 else { throw SiteFileError(path: path, errno: errno) }
                offset += written
            }
        }
    }

    /// A file of the site that could not be written.
    struct SiteFileError: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "\(path): \(String(cString: strerror(errno)))" }
    }

    /// Writes the site to the folder `output`, all or nothing: the files go to a temporary sibling
    /// folder, which then takes the place of `output`, so that a failure never leaves a half-written
    /// site and an existing site stays whole until the new one is complete. An existing `output`
    /// must be a folder that is empty or holds a site written by rvuimport (its ``marker``): a file,
    /// a FIFO or another folder is refused.
    public func write(to output: String) throws(DiagnosticError) {
        let fileManager = FileManager.default
        let target = URL(fileURLWithPath: output).standardizedFileURL
        func failure(_ message: String) -> DiagnosticError {
            DiagnosticError(.siteWrite, message, at: SourceLocation(file: output))
        }
        var isFolder: ObjCBool = false
        let exists = fileManager.fileExists(atPath: target.path, isDirectory: &isFolder)
        let isLink = (try? fileManager.destinationOfSymbolicLink(atPath: target.path)) != nil
        if exists || isLink {
            guard isFolder.boolValue, !isLink else {
                throw failure("the output is a file (or a link), not a folder; name a folder for the site")
            }
            let entries = (try? fileManager.contentsOfDirectory(atPath: target.path)) ?? []
            guard entries.isEmpty || entries.contains(Self.marker) else {
                throw failure(
                    "the folder holds files that are not a preview site (no \(Self.marker)); name an empty or new folder")
            }
        }
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: staging)
        try? fileManager.removeItem(at: retired)
        do {
            try fileManager.createDirectory(at: staging.appendingPathComponent("codes"), withIntermediateDirectories: true)
            for file in files {
                try Self.writeFile(staging.appendingPathComponent(file.path).path, file.text)
            }
            if exists {
                try fileManager.moveItem(at: target, to: retired)
                do {
                    try fileManager.moveItem(at: staging, to: target)
                } catch {
                    try? fileManager.moveItem(at: retired, to: target)
                    throw error
                }
                try? fileManager.removeItem(at: retired)
            } else {
                try fileManager.moveItem(at: staging, to: target)
            }
        } catch {
            try? fileManager.removeItem(at: staging)
            throw failure("cannot write the site: \(error)")
        }
    }
}
