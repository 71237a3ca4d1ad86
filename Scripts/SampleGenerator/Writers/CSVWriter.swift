import Foundation

/// Writes CSV the way CMS's files are written: every line padded with empty fields to the full
/// column count, RFC 4180 quoting only where a field needs it (a comma, a quote, a line break),
/// quotes doubled inside, CRLF line ends, ASCII only.
struct CSVWriter {
    /// Fields per line; shorter rows are padded with empty fields.
    let columnCount: Int
    private(set) var bytes: [UInt8] = []

    init(columnCount: Int) {
        precondition(columnCount > 0, "a CSV file has at least one column")
        self.columnCount = columnCount
    }

    /// Appends one line. `fields` may be shorter than ``columnCount``; the rest stay empty.
    mutating func writeRow(_ fields: [String]) {
        precondition(fields.count <= columnCount, "row has \(fields.count) fields, the file \(columnCount)")
        let padded = fields + Array(repeating: "", count: columnCount - fields.count)
        let line = padded.map(CSVWriter.quotedIfNeeded).joined(separator: ",")
        append(line + "\r\n")
    }

    /// Appends a line of empty fields (`,,,,`).
    mutating func writeBlankRow() { writeRow([]) }

    /// Appends CMS's last line: the DOS end-of-file byte 0x1A as the first field, then the commas.
    mutating func writeEndOfFileRow() { writeRow(["\u{1A}"]) }

    /// The file's bytes.
    var data: Data { Data(bytes) }

    /// `field`, quoted when it holds a comma, a quote or a line break.
    static func quotedIfNeeded(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private mutating func append(_ text: String) {
        precondition(text.unicodeScalars.allSatisfy(\.isASCII), "sample text must be ASCII: \(text)")
        bytes.append(contentsOf: text.utf8)
    }
}
