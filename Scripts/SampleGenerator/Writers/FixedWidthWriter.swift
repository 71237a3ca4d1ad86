import Foundation

/// Writes CMS's fixed-width TXT files: CRLF line ends, ASCII, and for some datasets the DOS
/// end-of-file byte 0x1A after the last line, with no line end of its own.
struct FixedWidthWriter {
    private(set) var bytes: [UInt8] = []

    /// Appends a free-text line (titles, `HDR ` lines, footnotes, blank lines).
    mutating func writeLine(_ text: String) {
        precondition(text.unicodeScalars.allSatisfy(\.isASCII), "sample text must be ASCII: \(text)")
        bytes.append(contentsOf: text.utf8)
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// Appends a record, at full length or without its trailing spaces.
    mutating func writeRecord(_ record: FixedWidthRecord, trimmingTrailingSpaces: Bool = false) {
        bytes.append(contentsOf: trimmingTrailingSpaces ? record.trimmedBytes : record.bytes)
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// Appends the byte 0x1A that ends some CMS TXT files.
    mutating func writeEndOfFileMark() {
        bytes.append(0x1A)
    }

    /// The file's bytes.
    var data: Data { Data(bytes) }
}
