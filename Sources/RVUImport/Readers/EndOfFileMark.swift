import RVUContainers
import RVUCore

/// The DOS end-of-file mark, 0x1A (Ctrl-Z), that ends some CMS text members: alone after the last
/// line of a TXT, as the first cell of a last row of empty cells in a CSV (`_x001A_` in an XLSX).
///
/// The readers stop at the mark, so anything after it would be dropped unseen: a row after the
/// mark is a `data-after-end-of-file` error naming its line. Blank lines (and, in a CSV, empty
/// cells) after the mark are accepted.
package enum EndOfFileMark {
    /// The mark's byte.
    package static let byte: UInt8 = 0x1A

    /// Throws `data-after-end-of-file` at the first byte from `start` that is not blank: a space,
    /// a tab, a line end or one of `separators`. `line` is the line `start` is on; `markLine` the
    /// mark's line (for the message).
    package static func checkNothingFollows(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, line: Int, column: Int = 1, markLine: Int,
        separators: [UInt8] = [], location: SourceLocation
    ) throws(DiagnosticError) {
        var line = line
        var column = column
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x0A:
                line += 1
                column = 1
            case 0x0D:
                if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                line += 1
                column = 1
            case 0x20, 0x09:
                column += 1
            case _ where separators.contains(byte):
                column += 1
            default:
                throw error(line: line, column: column, markLine: markLine, location: location)
            }
        }
    }

    /// Throws `data-after-end-of-file` for the first cell after the mark's own cell that is not
    /// blank, in a row whose first cell is the mark.
    package static func checkRestOfMarkRow(_ row: borrowing Row, location: SourceLocation) throws(DiagnosticError) {
        for column in 1..<max(row.count, 1) where !row.trimmedCell(column).isEmpty {
            throw error(line: row.number, column: column + 1, markLine: row.number, location: location)
        }
    }

    /// Throws `data-after-end-of-file` for a row after the mark (an XLSX sheet's rows).
    package static func checkRowAfterMark(_ row: borrowing Row, markLine: Int, location: SourceLocation) throws(DiagnosticError) {
        guard !row.isBlank else { return }
        let column = (0..<row.count).first { !row.trimmedCell($0).isEmpty } ?? 0
        throw error(line: row.number, column: column + 1, markLine: markLine, location: location)
    }

    private static func error(line: Int, column: Int, markLine: Int, location: SourceLocation) -> DiagnosticError {
        let place = location.sheet == nil ? "line" : "row"
        let whereMark = line == markLine ? "on the same \(place)" : "on \(place) \(markLine)"
        return DiagnosticError(
            .dataAfterEndOfFile,
            "data after the end-of-file mark (0x1A, Ctrl-Z) \(whereMark): CMS files end at this mark, so this \(place) would not be read; remove the mark, or what follows it if it does not belong to the file",
            at: location.at(line: line, column: column))
    }
}
