import RVUCore

/// The SAX handler that turns a worksheet part (`xl/worksheets/sheet1.xml`) into rows.
///
/// Cells are placed by their `r` reference (`AB12` is column 27, 0-based), so omitted cells read
/// as `.missing`; a cell without a reference follows the previous one. Shared strings (`t="s"`),
/// inline strings (`t="inlineStr"`) and formula strings (`t="str"`) are text; cells without a
/// type or `t="n"` are numbers, kept as the stored text (`0.86899999999999999`, `8.6E-2`);
/// booleans, errors and dates are `.other`. Element names and references are matched as bytes
/// and text goes straight into the reused ``Row``: nothing is allocated per cell.
final class XLSXSheetParser: XMLPushParser {
    /// A cell's `t` attribute.
    private enum CellType { case sharedString, text, number, other }

    /// What the characters being read belong to.
    private enum Capture { case none, text, sharedIndex }

    /// The largest row and column numbers a spreadsheet can have.
    static let maximumRow = 1_048_576
    static let maximumColumn = 16_384

    private let strings: UnsafeBufferPointer<UInt8>
    private let stringEnds: UnsafeBufferPointer<Int>
    private let body: (borrowing Row) throws -> Void
    /// Gets the last row number of the sheet's `<dimension>`, when it has one: a size hint only.
    private let dimension: (Int) -> Void

    // The parse state is touched a few million times per sheet, always from the parser's callbacks
    // on one thread and never through overlapping accesses, so the runtime's exclusivity check on
    // class properties (a measurable cost here) is switched off for it.
    @exclusivity(unchecked) private var row = Row()
    @exclusivity(unchecked) private var inSheetData = false
    @exclusivity(unchecked) private var inRow = false
    @exclusivity(unchecked) private var inCell = false
    @exclusivity(unchecked) private var previousRowNumber = 0
    @exclusivity(unchecked) private var column = 0
    @exclusivity(unchecked) private var previousColumn = -1
    @exclusivity(unchecked) private var cellType = CellType.number
    @exclusivity(unchecked) private var cellBegun = false
    @exclusivity(unchecked) private var capture = Capture.none
    @exclusivity(unchecked) private var textStart = 0
    @exclusivity(unchecked) private var inInlineString = false
    @exclusivity(unchecked) private var phoneticDepth = 0
    @exclusivity(unchecked) private var sharedIndex = 0
    @exclusivity(unchecked) private var sharedDigits = 0
    @exclusivity(unchecked) private var sharedIndexValid = true

    /// A parser for one sheet; `strings` and `stringEnds` are the workbook's shared strings
    /// (see ``XLSXSharedStrings``) and must outlive it; `body` gets each row.
    init(
        location: SourceLocation, part: String, strings: UnsafeBufferPointer<UInt8>,
        stringEnds: UnsafeBufferPointer<Int>, dimension: @escaping (Int) -> Void = { _ in },
        body: @escaping (borrowing Row) throws -> Void
    ) {
        self.strings = strings
        self.stringEnds = stringEnds
        self.dimension = dimension
        self.body = body
        super.init(location: location, part: part)
    }

    override func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) throws {
        switch name[0] {
        case 0x63 where name[1] == 0:  // c
            if inRow {
                let (reference, type) = attributes.values("r", "t")
                try startCell(reference: reference, type: type)
            }
        case 0x76 where name[1] == 0:  // v
            if inCell { startValue() }
        case 0x74 where name[1] == 0:  // t
            if inInlineString, phoneticDepth == 0 {
                capture = .text
                textStart = row.byteCount
            }
        case 0x72:  // row, rPh
            if name.isName("row") {
                if inSheetData { try startRow(attributes) }
            } else if name.isName("rPh"), inInlineString {
                phoneticDepth += 1
            }
        case 0x69 where name.isName("is"):
            if inCell {
                inInlineString = true
                phoneticDepth = 0
                row.beginCell(at: column, kind: .text)
                cellBegun = true
            }
        case 0x73 where name.isName("sheetData"):
            inSheetData = true
        case 0x64 where name.isName("dimension"):
            if !inSheetData, let reference = attributes.value("ref"), let rows = XLSXSheetParser.lastRow(ofRange: reference) {
                dimension(rows)
            }
        default:
            break
        }
    }

    /// The row number at the end of a range (`A1:AF18541` gives 18541; `A1` gives 1); nil when
    /// it does not end in one.
    static func lastRow(ofRange reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var number = 0
        var digits = 0
        for byte in reference.reversed() {
            guard byte >= 0x30, byte <= 0x39 else { break }
            digits += 1
            guard digits <= 7 else { return nil }
            number += Int(byte - 0x30) * [1, 10, 100, 1000, 10000, 100_000, 1_000_000][digits - 1]
        }
        return digits > 0 && number <= maximumRow ? number : nil
    }

    override func endElement(_ name: UnsafePointer<UInt8>) throws {
        switch name[0] {
        case 0x76 where name[1] == 0:  // v
            try endValue()
        case 0x74 where name[1] == 0:  // t
            if capture == .text {
                row.decodeEscapes(from: textStart)
                capture = .none
            }
        case 0x63 where name[1] == 0:  // c
            if inCell { endCell() }
        case 0x72:  // row, rPh
            if name.isName("row") {
                if inRow {
                    inRow = false
                    try body(row)
                }
            } else if name.isName("rPh"), phoneticDepth > 0 {
                phoneticDepth -= 1
            }
        case 0x69 where name.isName("is"):
            inInlineString = false
        case 0x73 where name.isName("sheetData"):
            inSheetData = false
        default:
            break
        }
    }

    override func characters(_ text: UnsafeBufferPointer<UInt8>) throws {
        take(text)
    }

    /// Text of the element being read.
    @inline(__always)
    private func take(_ text: UnsafeBufferPointer<UInt8>) {
        switch capture {
        case .none:
            return
        case .text:
            row.appendBytes(text)
        case .sharedIndex:
            readSharedIndex(text)
        }
    }

    /// Adds the digits of `text` to the shared string number being read.
    @inline(__always)
    private func readSharedIndex(_ text: UnsafeBufferPointer<UInt8>) {
        for byte in text {
            if byte >= 0x30, byte <= 0x39 {
                if sharedDigits < 10 {
                    sharedIndex = sharedIndex * 10 + Int(byte - 0x30)
                    sharedDigits += 1
                } else {
                    sharedIndexValid = false
                }
            } else if byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
                sharedIndexValid = false
            }
        }
    }

    // MARK: Rows and cells

    private func startRow(_ attributes: XMLAttributes) throws {
        var number = previousRowNumber + 1
        if let reference = attributes.value("r") {
            guard let parsed = XLSXSheetParser.rowNumber(reference) else {
                throw DiagnosticError(
                    .xlsxMalformed,
                    "row number '\(String(decoding: reference, as: UTF8.self))' in \(part) is not a number "
                        + "from 1 to \(XLSXSheetParser.maximumRow); the workbook is damaged",
                    at: location.at(line: previousRowNumber + 1))
            }
            number = parsed
        }
        previousRowNumber = number
        previousColumn = -1
        row.reset(number: number)
        inRow = true
    }

    private func startCell(reference: UnsafeBufferPointer<UInt8>?, type: UnsafeBufferPointer<UInt8>?) throws {
        try placeCell(reference)
        cellType = XLSXSheetParser.cellType(type)
        inCell = true
        cellBegun = false
    }

    /// Sets the column of the cell starting, from its `r` attribute or after the previous one.
    private func placeCell(_ reference: UnsafeBufferPointer<UInt8>?) throws {
        if let reference {
            guard let parsed = XLSXSheetParser.column(of: reference) else {
                throw DiagnosticError(
                    .xlsxMalformed,
                    "cell reference '\(String(decoding: reference, as: UTF8.self))' in \(part) is not a column "
                        + "and row like 'B12' (columns A to XFD); the workbook is damaged",
                    at: location.at(line: row.number))
            }
            column = parsed
        } else {
            column = previousColumn + 1
            guard column < XLSXSheetParser.maximumColumn else {
                throw DiagnosticError(
                    .xlsxMalformed,
                    "row \(row.number) of \(part) has more than \(XLSXSheetParser.maximumColumn) cells; "
                        + "the workbook is damaged",
                    at: location.at(line: row.number))
            }
        }
        previousColumn = column
    }

    /// What a cell's `t` attribute says it holds.
    @inline(__always)
    private static func cellType(_ type: UnsafeBufferPointer<UInt8>?) -> CellType {
        guard let type, let first = type.first else { return .number }
        switch (first, type.count) {
        case (0x73, 1): return .sharedString  // s
        case (0x6E, 1): return .number  // n
        case (0x73, 3), (0x69, 9): return .text  // str, inlineStr
        default: return .other  // b, e, d
        }
    }

    private func startValue() {
        if cellType == .sharedString {
            capture = .sharedIndex
            sharedIndex = 0
            sharedDigits = 0
            sharedIndexValid = true
            return
        }
        let kind: Row.CellKind
        switch cellType {
        case .number: kind = .number
        case .other: kind = .other
        case .text, .sharedString: kind = .text
        }
        row.beginCell(at: column, kind: kind)
        cellBegun = true
        capture = .text
        textStart = row.byteCount
    }

    /// `</v>`: the value read is the cell's, or names its shared string.
    @inline(__always)
    private func endValue() throws {
        switch capture {
        case .sharedIndex: try appendSharedString()
        case .text where cellType != .number: row.decodeEscapes(from: textStart)
        case .text, .none: break
        }
        capture = .none
    }

    /// `</c>` of the open cell.
    @inline(__always)
    private func endCell() {
        if cellBegun { row.endCell() }
        inCell = false
        cellBegun = false
        inInlineString = false
        capture = .none
    }

    private func appendSharedString() throws {
        guard sharedIndexValid, sharedDigits > 0 else {
            let reference = "\(XLSXSheetParser.columnName(column))\(row.number)"
            throw DiagnosticError(
                .xlsxMalformed,
                "cell \(reference) is a shared string but does not hold a string number; the workbook is damaged",
                at: location.at(line: row.number, column: column + 1))
        }
        guard sharedIndex < stringEnds.count else {
            let reference = "\(XLSXSheetParser.columnName(column))\(row.number)"
            let available =
                stringEnds.isEmpty
                ? "the workbook has no shared strings" : "the workbook has \(stringEnds.count) (numbered from 0)"
            throw DiagnosticError(
                .xlsxMalformed,
                "cell \(reference) refers to shared string \(sharedIndex), but \(available); the workbook is damaged",
                at: location.at(line: row.number, column: column + 1))
        }
        let start = sharedIndex == 0 ? 0 : stringEnds[sharedIndex - 1]
        row.beginCell(at: column, kind: .text)
        row.appendBytes(UnsafeBufferPointer(rebasing: strings[start..<stringEnds[sharedIndex]]))
        cellBegun = true
    }

    // MARK: References

    /// The 0-based column of a cell reference such as `AB12` (27), or nil when it is not letters
    /// then digits or lies beyond column XFD.
    static func column(of reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var index = 0
        while index < reference.count, index < 4 {
            let byte = reference[index]
            if byte >= 0x41, byte <= 0x5A {
                column = column * 26 + Int(byte - 0x40)
            } else if byte >= 0x61, byte <= 0x7A {
                column = column * 26 + Int(byte - 0x60)
            } else {
                break
            }
            index += 1
        }
        guard index > 0, index <= 3, column <= maximumColumn, index < reference.count else { return nil }
        while index < reference.count {
            guard reference[index] >= 0x30, reference[index] <= 0x39 else { return nil }
            index += 1
        }
        return column - 1
    }

    /// A row's `r` attribute as a number from 1 to ``maximumRow``.
    static func rowNumber(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !text.isEmpty, text.count <= 7 else { return nil }
        var number = 0
        for byte in text {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        return number >= 1 && number <= maximumRow ? number : nil
    }

    /// The letters of a 0-based column: 0 is `A`, 27 is `AB`.
    static func columnName(_ column: Int) -> String {
        var name: [UInt8] = []
        var rest = column + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            name.insert(UInt8(0x41 + digit), at: 0)
            rest = (rest - 1) / 26
        }
        return String(decoding: name, as: UTF8.self)
    }
}
