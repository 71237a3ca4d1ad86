import RVUContainers
import RVUCore

/// A byte-level CSV reader (RFC 4180): fields separated by commas, optionally quoted with `"`,
/// doubled quotes inside quotes, records ended by CRLF, LF or CR (a quoted field may span lines).
///
/// Text is decoded as UTF-8 when the whole member is valid UTF-8, else as Windows-1252. Reading
/// stops at a record whose first field is the DOS end-of-file byte 0x1A (the row is still passed
/// to the caller, who may look at ``Row/isEndOfFileMark``); its other cells must be empty and only
/// blank lines may follow it (``EndOfFileMark``).
package struct CSVReader {
    /// The limits a record must stay within.
    package struct Limits: Sendable {
        /// The longest record, in bytes, before the reader gives up.
        package var maximumRecordBytes = 1 << 20
        /// The most fields in one record.
        package var maximumFields = 1_000

        /// The limits of the import running on this thread (``ImportScope/current``), else the defaults.
        package init() {
            if let limits = ImportScope.current?.limits {
                maximumRecordBytes = limits.maximumRecordBytes
                maximumFields = limits.maximumFields
            }
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let location: SourceLocation
    private let limits: Limits

    /// Creates a reader over the bytes of one member; `location` names the member in diagnostics.
    package init(bytes: UnsafeBufferPointer<UInt8>, location: SourceLocation, limits: Limits = Limits()) {
        self.bytes = bytes
        self.location = location
        self.limits = limits
    }

    /// Calls `body` with each record in order; the row is reused between calls.
    /// Throws a ``DiagnosticError`` for an unterminated quote, an overlong record, a byte that is
    /// not text or data after the end-of-file mark; rethrows what `body` throws.
    package func forEachRow(_ body: (borrowing Row) throws -> Void) throws {
        let (encoding, bodyStart) = TextEncoding.detect(bytes)
        var row = Row()
        var index = bodyStart
        var line = 1
        let end = bytes.count
        guard let base = bytes.baseAddress, end > bodyStart else { return }
        while index < end {
            row.reset(number: line)
            if let next = plainRecord(base, from: index, end: end, into: &row) {
                index = next.index
                if next.endsLine { line += 1 }
                try body(row)
                if row.isEndOfFileMark {
                    try checkAfterMark(row, from: index, line: line)
                    return
                }
                continue
            }
            row.reset(number: line)
            let recordStart = index
            var column = 0
            var atRecordEnd = false
            while !atRecordEnd {
                guard column < limits.maximumFields else {
                    throw DiagnosticError(
                        .csvTooManyFields, "more than \(limits.maximumFields) fields in one record",
                        at: location.at(line: row.number))
                }
                row.beginCell(at: column, kind: .text)
                if index < end, base[index] == 0x22 {
                    // Quoted field.
                    let quoteLine = line
                    index += 1
                    while true {
                        guard index < end else {
                            throw DiagnosticError(
                                .csvUnterminatedQuote,
                                "unterminated quoted field: the quote opened here is never closed",
                                at: location.at(line: quoteLine, column: column + 1))
                        }
                        // A run of plain ASCII is copied in one go.
                        let runStart = index
                        while index < end {
                            let byte = base[index]
                            if byte == 0x22 || byte == 0x0A || byte == 0x0D || byte >= 0x80 { break }
                            index += 1
                        }
                        if index > runStart {
                            row.appendBytes(UnsafeBufferPointer(start: base + runStart, count: index - runStart))
                            continue
                        }
                        let byte = base[index]
                        if byte == 0x22 {
                            if index + 1 < end, base[index + 1] == 0x22 {
                                row.appendByte(0x22)
                                index += 2
                                continue
                            }
                            index += 1
                            break
                        }
                        if byte == 0x0A || (byte == 0x0D && (index + 1 >= end || base[index + 1] != 0x0A)) {
                            line += 1
                        }
                        try append(byte, to: &row, encoding: encoding, line: line, column: column)
                        index += 1
                    }
                    // Text after the closing quote and before the separator is kept as written.
                    while index < end, base[index] != 0x2C, base[index] != 0x0A, base[index] != 0x0D {
                        try append(base[index], to: &row, encoding: encoding, line: line, column: column)
                        index += 1
                    }
                } else {
                    // Unquoted field: copy the run up to the separator or line end in one go when ASCII.
                    let runStart = index
                    var highBits: UInt8 = 0
                    while index < end {
                        let byte = base[index]
                        // Comma, LF and CR all sort below 0x2D: one comparison for most bytes.
                        if byte <= 0x2C, byte == 0x2C || byte == 0x0A || byte == 0x0D { break }
                        highBits |= byte
                        index += 1
                    }
                    if highBits < 0x80 {
                        row.appendBytes(UnsafeBufferPointer(start: base + runStart, count: index - runStart))
                    } else {
                        for position in runStart..<index {
                            try append(base[position], to: &row, encoding: encoding, line: line, column: column)
                        }
                    }
                }
                row.endCell()
                column += 1
                if index - recordStart > limits.maximumRecordBytes {
                    throw DiagnosticError(
                        .csvOverlongRecord,
                        "record longer than \(limits.maximumRecordBytes) bytes; is this really a CMS CSV file?",
                        at: location.at(line: row.number))
                }
                if index >= end {
                    atRecordEnd = true
                } else if base[index] == 0x2C {
                    index += 1
                } else {
                    // CR, LF or CRLF ends the record.
                    if base[index] == 0x0D, index + 1 < end, base[index + 1] == 0x0A { index += 1 }
                    index += 1
                    line += 1
                    atRecordEnd = true
                }
            }
            try body(row)
            if row.isEndOfFileMark {
                try checkAfterMark(row, from: index, line: line)
                return
            }
        }
    }

    /// Throws `data-after-end-of-file` when the mark's row has other cells that are not blank, or
    /// anything but blank lines and separators follows it (`index` and `line`: after its record).
    private func checkAfterMark(_ row: borrowing Row, from index: Int, line: Int) throws(DiagnosticError) {
        try EndOfFileMark.checkRestOfMarkRow(row, location: location)
        try EndOfFileMark.checkNothingFollows(
            bytes, from: index, line: line, markLine: row.number, separators: [0x2C], location: location)
    }

    /// Cuts the record at `start` into cells that borrow the member's bytes (``Row/borrow(_:)``)
    /// when it is plain: ASCII, no quote anywhere, within the limits. These are almost all
    /// records, and the general loop above would only have copied their fields. Returns the
    /// index after the record and whether a line end closed it; nil, with the row's cells
    /// half-made, for a record the general loop must read (and report on, if it is at fault).
    @inline(__always)
    private func plainRecord(
        _ base: UnsafePointer<UInt8>, from start: Int, end: Int, into row: inout Row
    ) -> (index: Int, endsLine: Bool)? {
        // Cell offsets are Int32; the general loop reports an overlong record.
        let maximumBytes = min(limits.maximumRecordBytes, Int(Int32.max))
        let maximumFields = limits.maximumFields
        row.borrow(base + start)
        var index = start
        var fieldStart = start
        var fields = 0
        while true {
            while index < end {
                let byte = base[index]
                // Bytes from 0x2D to 0x7F (letters, digits, point, minus) in one comparison.
                if byte &- 0x2D < 0x53 {
                    index += 1
                } else if byte == 0x2C || byte == 0x0A || byte == 0x0D {
                    break
                } else if byte == 0x22 || byte >= 0x80 {
                    return nil
                } else {
                    index += 1
                }
            }
            // The general loop's checks, at the same places: before a cell, and after it.
            guard fields < maximumFields, index - start <= maximumBytes else { return nil }
            row.appendBorrowed(from: fieldStart - start, to: index - start)
            fields += 1
            guard index < end else { return (index, false) }
            if base[index] == 0x2C {
                index += 1
                fieldStart = index
                continue
            }
            if base[index] == 0x0D, index + 1 < end, base[index + 1] == 0x0A { index += 1 }
            return (index + 1, true)
        }
    }

    @inline(__always)
    private func append(_ byte: UInt8, to row: inout Row, encoding: TextEncoding, line: Int, column: Int) throws {
        try encoding.append(byte, to: &row, at: location.at(line: line, column: column + 1))
    }
}
