import Foundation
import RVUCore

extension Pipeline {
    /// Writes `text` to `path` atomically: to a hidden temporary file beside it, flushed to disk,
    /// then renamed into place. A folder, pipe or device at the path is refused, and so is a file
    /// unless `replacing`; what is there is left as it is, and so on any failure.
    public static func writeText(_ text: String, to path: String, replacing: Bool) throws(DiagnosticError) {
        let location = SourceLocation(file: path)
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw DiagnosticError(.outputWrite, "a folder is at the output path; choose another --output", at: location)
            case S_IFREG:
                guard replacing else {
                    throw DiagnosticError(
                        .outputWrite, "a file is at the output path; choose another --output, or pass --force to replace it",
                        at: location)
                }
            default:
                throw DiagnosticError(
                    .outputWrite, "something other than a file (a pipe, socket or device) is at the output path; choose another --output",
                    at: location)
            }
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try Data(text.utf8).write(to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DiagnosticError(
                .outputWrite, "cannot write the file: \(error.localizedDescription); nothing was changed at the output path", at: location
            )
        }
        guard rename(temporary.path, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DiagnosticError(
                .outputWrite, "cannot move the file into place: \(why); nothing was changed at the output path", at: location)
        }
    }
}
