import RVUContainers
import RVUCore

/// The columns of a fixed-width text layout, as 1-based inclusive character positions.
package struct FixedWidthLayout: Sendable {
    /// One field of a layout.
    package struct Field: Sendable {
        package var name: String
        package var range: ClosedRange<Int>

        package init(_ name: String, _ range: ClosedRange<Int>) {
            self.name = name
            self.range = range
        }
    }

    package var fields: [Field]
    /// Records shorter than this are truncated (the end of the last field that must be present).
    package var minimumLength: Int

    package init(fields: [Field], minimumLength: Int? = nil) {
        self.fields = fields
        self.minimumLength = minimumLength ?? (fields.map(\.range.upperBound).max() ?? 0)
    }
}

/// Reads a fixed-width `.txt` member: splits lines (CRLF, LF or CR), lets the caller skip lines
/// that are not records (headers, notes, blank lines), and cuts each record into the layout's
/// fields. Text is decoded like CSV (UTF-8 when valid, else Windows-1252); positions count bytes
/// of the original file, which CMS writes in ASCII.
package struct FixedWidthReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let location: SourceLocation
    private let layout: FixedWidthLayout

    package init(bytes: UnsafeBufferPointer<UInt8>, location: SourceLocation, layout: FixedWidthLayout) {
        self.bytes = bytes
        self.location = location
        self.layout = layout
    }

    /// Calls `onBlankLine` for each blank line, and `isRecord` with each other line's bytes
    /// (without its line end); for lines it accepts, cuts
    /// the fields into a row (field `i` of the layout is column `i`) and calls `body`.
    /// Reading stops at a line starting with the DOS end-of-file byte 0x1A; only blanks may follow
    /// it (else `data-after-end-of-file`, see ``EndOfFileMark``).
    /// Throws `truncated-record` for an accepted line shorter than the layout's minimum length.
    package func forEachRecord(
        isRecord: (UnsafeBufferPointer<UInt8>) -> Bool,
        onBlankLine: () -> Void = {},
        _ body: (borrowing Row) throws -> Void
    ) throws {
        let (encoding, bodyStart) = TextEncoding.detect(bytes)
        guard let base = bytes.baseAddress else { return }
        var row = Row()
        // The fields' byte ranges, 0-based and half-open (no per-row copies of the layout).
        let ranges = layout.fields.map { ($0.range.lowerBound - 1, $0.range.upperBound) }
        var index = bodyStart
        var line = 0
        let end = bytes.count
        while index < end {
            line += 1
            let lineStart = index
            // The line end, eight bytes at a time, noting on the way whether the line is ASCII.
            var highBits: UInt64 = 0
            while end - index >= 8 {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if FixedWidthReader.hasByte(word, 0x0A) || FixedWidthReader.hasByte(word, 0x0D) { break }
                highBits |= word
                index += 8
            }
            while index < end, base[index] != 0x0A, base[index] != 0x0D {
                highBits |= UInt64(base[index])
                index += 1
            }
            let lineEnd = index
            if index < end {
                if base[index] == 0x0D, index + 1 < end, base[index + 1] == 0x0A { index += 1 }
                index += 1
            }
            let text = UnsafeBufferPointer(start: base + lineStart, count: lineEnd - lineStart)
            if text.first == EndOfFileMark.byte {
                // The mark ends the member: only blanks may follow it, on its line and after.
                try EndOfFileMark.checkNothingFollows(
                    UnsafeBufferPointer(start: base + lineStart, count: end - lineStart), from: 1, line: line, column: 2,
                    markLine: line, location: location)
                return
            }
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                onBlankLine()
                continue
            }
            guard isRecord(text) else { continue }
            guard text.count >= layout.minimumLength else {
                throw DiagnosticError(
                    .truncatedRecord,
                    "record is \(text.count) characters long; the \(layout.fields.first { $0.range.upperBound >= layout.minimumLength }.map { "'\($0.name)' field ends" } ?? "layout ends") at \(layout.minimumLength): the file is truncated or not in this layout",
                    at: location.at(line: line, column: text.count + 1))
            }
            row.reset(number: line)
            if highBits & 0x8080_8080_8080_8080 == 0 {
                // ASCII needs no decoding: the cells are ranges of the line itself.
                row.borrow(base + lineStart)
                for (lower, upper) in ranges {
                    let start = min(lower, text.count)
                    let stop = min(upper, text.count)
                    row.appendBorrowed(from: start, to: stop, kind: start < stop ? .text : .missing)
                }
                try body(row)
                continue
            }
            for (lower, upper) in ranges {
                let start = min(lower, text.count)
                let stop = min(upper, text.count)
                row.beginCell(at: row.count, kind: start < stop ? .text : .missing)
                for position in start..<stop {
                    try encoding.append(text[position], to: &row, at: location.at(line: line, column: position + 1))
                }
                row.endCell()
            }
            try body(row)
        }
    }

    /// True when some byte of `word` is `byte` (the zero-byte test on `word` XOR `byte`s).
    @inline(__always)
    private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let bytes = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (bytes &- 0x0101_0101_0101_0101) & ~bytes & 0x8080_8080_8080_8080 != 0
    }
}
