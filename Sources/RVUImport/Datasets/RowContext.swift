import RVUContainers
import RVUCore

/// Reads typed values out of data rows through the column map found for a member, and collects
/// the diagnostics of the rows it reads.
package struct RowContext {
    /// The spec of each column the dataset knows.
    package let specs: [ColumnSpec]
    /// Column index in the row for each spec, or -1 when the member lacks that column.
    package let columns: [Int]
    package let format: FileFormat
    /// The member (and sheet) being read.
    package let location: SourceLocation
    /// Diagnostics found so far.
    package var diagnostics: [Diagnostic] = []
    /// True once the row being read had an error; the caller drops such a row.
    package var rowFailed = false

    /// Each column's value kind, read on every cell (copying a whole spec there costs retains).
    private let kinds: [ColumnSpec.Kind]
    /// Each column's code width where a short code may be padded with zeros, else 0.
    private let padWidths: [Int]

    package init(specs: [ColumnSpec], columns: [Int], format: FileFormat, location: SourceLocation) {
        self.specs = specs
        self.kinds = specs.map(\.kind)
        self.padWidths = specs.map { spec in
            if case .code(let width?) = spec.kind { width } else { 0 }
        }
        self.columns = columns
        self.format = format
        self.location = location
    }

    /// True when the member has the column.
    package func has(_ field: Int) -> Bool { columns[field] >= 0 }

    /// Where a cell is, for messages: the 1-based column (for TXT, the field's first character).
    package func cellLocation(_ row: borrowing Row, _ field: Int) -> SourceLocation {
        let column: Int? =
            if format == .txt { specs[field].fixed?.lowerBound } else { columns[field] >= 0 ? columns[field] + 1 : nil }
        return location.at(line: row.number, column: column)
    }

    /// Records an error at a cell and marks the row as failed.
    package mutating func fail(_ row: borrowing Row, _ field: Int, _ code: DiagnosticCode, _ message: String) {
        diagnostics.append(.error(code, message, at: cellLocation(row, field)))
        rowFailed = true
    }

    /// True for a row of text; false, with an error at the character, when a cell holds a control character
    /// (a NUL, say): never text in CMS's files, so the file was damaged or edited. The row is
    /// not read. For a TXT line the column is the character's position in the line.
    package mutating func isFreeOfControlCharacters(_ row: borrowing Row) -> Bool {
        guard let found = row.firstControlCharacter else { return true }
        let column: Int? = format == .txt ? found.linePosition.map { $0 + 1 } : found.column + 1
        let hex = String(found.byte, radix: 16, uppercase: true)
        diagnostics.append(
            .error(
                .controlCharacter,
                "a control character (byte 0x\(hex.count == 1 ? "0" : "")\(hex)) in the data, which CMS's files never hold: the file was damaged or edited; use the file as CMS published it",
                at: location.at(line: row.number, column: column)))
        rowFailed = true
        return false
    }

    /// Reports codes that lost their leading zeros: an error for the first such row only (the
    /// whole file was re-saved by a spreadsheet), and the later rows are dropped silently.
    package mutating func lostLeadingZeros(_ row: borrowing Row, _ field: Int, _ message: String, seen: inout Int) {
        seen += 1
        if seen == 1 {
            fail(row, field, .lostLeadingZeros, message)
        } else {
            rowFailed = true
        }
    }

    /// The HCPCS code of a row; nil (and the row failed) when it is blank or a number that lost its
    /// leading zeros (`100` for `00100`: a spreadsheet re-save; refused rather than imported wrong).
    package mutating func hcpcs(_ row: borrowing Row, _ field: Int, lostZeros seen: inout Int) -> String? {
        // Checked on the bytes, before a string is made: a cell's bytes are valid UTF-8, so they
        // are the string's (and a repaired invalid byte would be neither blank nor a digit).
        let column = columns[field]
        let cell = column >= 0 ? row.trimmedCell(column) : UnsafeBufferPointer(start: nil, count: 0)
        if cell.isEmpty {
            fail(row, field, .missingValue, "'\(specs[field].name)' is blank")
            return nil
        }
        if cell.count < 5, cell.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            let code = String(decoding: cell, as: UTF8.self)
            lostLeadingZeros(
                row, field,
                "codes lost their leading zeros (first here: \"\(code)\"); the file was probably re-saved by a spreadsheet: use the file as CMS published it",
                seen: &seen)
            return nil
        }
        return String(decoding: cell, as: UTF8.self)
    }

    /// Adds the count of rows with lost zeros after the first, when there were more.
    package mutating func countLostLeadingZeros(_ seen: Int) {
        guard seen > 1 else { return }
        diagnostics.append(
            .note(.lostLeadingZeros, "\(seen) rows in all have codes without their leading zeros", at: location))
    }

    /// Records a warning at a cell.
    package mutating func warn(_ row: borrowing Row, _ field: Int, _ code: DiagnosticCode, _ message: String) {
        diagnostics.append(.warning(code, message, at: cellLocation(row, field)))
    }

    /// Records a note at the cell: a quirk of CMS's own files, which `--strict` leaves a note.
    package mutating func note(_ row: borrowing Row, _ field: Int, _ code: DiagnosticCode, _ message: String) {
        diagnostics.append(.note(code, message, at: cellLocation(row, field)))
    }

    /// The cell's trimmed text; empty when the member lacks the column.
    package func text(_ row: borrowing Row, _ field: Int) -> String {
        let column = columns[field]
        return column >= 0 ? row.trimmed(column) : ""
    }

    /// The cell's trimmed text, and whether it is one of the documented values `allowed`
    /// (report it with ``report(_:_:_:in:severity:)`` when it is not). A documented value is the
    /// set's own string: no string is made for it.
    package func text(_ row: borrowing Row, _ field: Int, in allowed: ValueSet) -> (value: String, known: Bool) {
        let column = columns[field]
        let cell = column >= 0 ? row.trimmedCell(column) : UnsafeBufferPointer(start: nil, count: 0)
        if let value = allowed.value(of: cell) { return (value, true) }
        let value = String(decoding: cell, as: UTF8.self)
        return (value, allowed.contains(value))
    }

    /// True when ``code(_:_:restoreZeros:)`` may pad a cell of `count` trimmed bytes with zeros.
    @inline(__always)
    private func mayPad(_ row: borrowing Row, _ field: Int, _ column: Int, count: Int, restoreZeros: Bool) -> Bool {
        guard count < padWidths[field], count > 0 else { return false }
        return restoreZeros || row.kind(column) == .number
    }

    /// A code kept as text. A spreadsheet number cell is padded back to the code's width; with
    /// `restoreZeros` (MAC and locality numbers, which CMS's own CSVs print without their zeros)
    /// any all-digit code is padded.
    package func code(_ row: borrowing Row, _ field: Int, restoreZeros: Bool = false) -> String {
        let column = columns[field]
        guard column >= 0 else { return "" }
        let cell = row.trimmedCell(column)
        if mayPad(row, field, column, count: cell.count, restoreZeros: restoreZeros) {
            return padded(row, field, column, restoreZeros: restoreZeros)
        }
        return String(decoding: cell, as: UTF8.self)
    }

    /// ``code(_:_:restoreZeros:)``, and whether the code is one of the documented values
    /// `allowed` (see ``text(_:_:in:)``).
    package func code(_ row: borrowing Row, _ field: Int, in allowed: ValueSet) -> (value: String, known: Bool) {
        let column = columns[field]
        let cell = column >= 0 ? row.trimmedCell(column) : UnsafeBufferPointer(start: nil, count: 0)
        if column >= 0, mayPad(row, field, column, count: cell.count, restoreZeros: false) {
            let value = padded(row, field, column, restoreZeros: false)
            return (value, allowed.contains(value))
        }
        if let value = allowed.value(of: cell) { return (value, true) }
        let value = String(decoding: cell, as: UTF8.self)
        return (value, allowed.contains(value))
    }

    /// A code that may need its zeros back: the text as a string, padded when it is short.
    private func padded(_ row: borrowing Row, _ field: Int, _ column: Int, restoreZeros: Bool) -> String {
        var value = row.trimmed(column)
        if case .code(let width?) = kinds[field], value.utf8.count < width, !value.isEmpty,
            restoreZeros || row.kind(column) == .number
        {
            if row.kind(column) == .number, value.hasSuffix(".0") { value.removeLast(2) }
            if value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                value = String(repeating: "0", count: width - value.utf8.count) + value
            }
        }
        return value
    }

    /// A decimal value; nil for a blank cell or a missing column. A cell that is not a number is an
    /// error naming the column and the text. Spreadsheet numbers (binary doubles such as
    /// `0.86899999999999999`) are rounded to the column's published scale.
    @inline(__always)
    package mutating func decimal(_ row: borrowing Row, _ field: Int, impliedScale: Int? = nil) -> ExactDecimal? {
        let column = columns[field]
        guard column >= 0 else { return nil }
        // Most cells are plain text numbers at their scale (`0.00`): read here, in the caller, with
        // the rest left to the general path (which would give the same value for them).
        if impliedScale == nil, row.kind(column) != .number, let plain = ExactDecimal.parsePlain(row.cell(column)) {
            return plain
        }
        return generalDecimal(row, field, column, impliedScale: impliedScale)
    }

    /// ``decimal(_:_:impliedScale:)`` for any cell of a present column.
    private mutating func generalDecimal(_ row: borrowing Row, _ field: Int, _ column: Int, impliedScale: Int?) -> ExactDecimal? {
        let cell = row.cell(column)
        let isNumberCell = row.kind(column) == .number
        var value: ExactDecimal
        // The plain form without the spaces a fixed-width field is padded with: `parse` ignores
        // them too, so this gives what it would, without the general parser.
        if let plain = ExactDecimal.parsePlain(RowContext.trimmingSpaces(cell)) {
            value = plain
        } else {
            var blank = true
            for byte in cell where byte != 0x20 && byte != 0x09 {
                blank = false
                break
            }
            if blank { return nil }
            guard let parsed = ExactDecimal.parse(cell, allowExponent: isNumberCell) else {
                fail(row, field, .notANumber, "'\(specs[field].name)' is not a decimal: \"\(row.string(column))\"")
                return nil
            }
            value = parsed
        }
        if let impliedScale, value.scale == 0 { value = ExactDecimal(units: value.units, scale: impliedScale) }
        if isNumberCell, case .decimal(let scale) = kinds[field], value.scale > scale {
            value = value.rounded(toScale: scale)
        }
        return value
    }

    /// `bytes` without leading and trailing spaces (0x20 only, as ``ExactDecimal/parse(_:allowExponent:)``).
    @inline(__always)
    static func trimmingSpaces(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = bytes.baseAddress else { return bytes }
        var start = 0
        var end = bytes.count
        while start < end, base[start] == 0x20 { start += 1 }
        while end > start, base[end - 1] == 0x20 { end -= 1 }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// A decimal that must be present: a blank cell is an error too.
    package mutating func requiredDecimal(_ row: borrowing Row, _ field: Int, impliedScale: Int? = nil) -> ExactDecimal {
        if let value = decimal(row, field, impliedScale: impliedScale) { return value }
        if !rowFailed {
            fail(row, field, .missingValue, "'\(specs[field].name)' is blank; a number is required")
        }
        return .zero
    }

    /// Checks a code against its documented values: an error or a warning when it is outside.
    package mutating func check(
        _ row: borrowing Row, _ field: Int, _ value: String, in allowed: ValueSet, severity: Diagnostic.Severity
    ) {
        guard !allowed.contains(value) else { return }
        report(row, field, value, in: allowed, severity: severity)
    }

    /// Reports a code that is not one of its documented values: an error (the row fails) or a
    /// warning.
    package mutating func report(
        _ row: borrowing Row, _ field: Int, _ value: String, in allowed: ValueSet, severity: Diagnostic.Severity
    ) {
        let listed = allowed.listed
        let message =
            "'\(specs[field].name)' is \(value.isEmpty ? "blank" : "\"\(value)\""), not one of the documented values (\(listed))"
        if severity == .error {
            fail(row, field, .unknownValue, message)
        } else {
            diagnostics.append(
                Diagnostic(
                    severity, .unknownValue, message + "; CMS may have added it: check the release's readme", at: cellLocation(row, field)
                ))
        }
    }
}
