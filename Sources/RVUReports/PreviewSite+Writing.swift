import Foundation
import RVUCore

extension PreviewSite {
    /// Writes the site to the folder `output`, all or nothing: the files go to a temporary sibling
    /// folder, which then takes the place of `output`, so that a failure never leaves a half-written
    /// site and an existing site stays whole until the new one is complete. An existing `output`
    /// must be a folder that is empty or holds a site written by rvuimport (its ``marker``): a file,
    /// a FIFO or another folder is refused.
    public func write(to output: String) throws(DiagnosticError) {
        let fileManager = FileManager.default
        let target = URL(fileURLWithPath: output).standardizedFileURL
        func failure(_ message: String) -> DiagnosticError {
            DiagnosticError("site-write", message, at: SourceLocation(file: output))
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
                try Data(file.text.utf8).write(to: staging.appendingPathComponent(file.path))
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
            throw failure("cannot write the site: \(error.localizedDescription)")
        }
    }
}
