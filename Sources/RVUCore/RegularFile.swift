import Foundation

/// What is at a path, checked before it is opened: reading a FIFO would wait for a writer that
/// may never come, and a folder or device is never an input.
public enum RegularFile {
    /// Throws `file-not-found` when nothing is at `path`, `unreadable-file` when what is there
    /// is not a regular file (after symbolic links).
    public static func check(_ path: String) throws(DiagnosticError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT {
                throw DiagnosticError(.fileNotFound, "no such file; check the path", at: SourceLocation(file: path))
            }
            throw DiagnosticError(
                .unreadableFile, "cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR:
            throw DiagnosticError(.unreadableFile, "this is a folder, not a file", at: SourceLocation(file: path))
        default:
            throw DiagnosticError(
                .unreadableFile, "not a regular file (a pipe, socket or device); pass a file", at: SourceLocation(file: path))
        }
    }
}
