import RVUCore

/// One row of a table as read from a CSV line, a fixed-width record or an XLSX row.
///
/// The readers reuse one `Row` for every line: cell text lives in a single byte buffer and each
/// cell is a range into it, so reading a row allocates nothing once the buffers have grown.
/// A CSV or TXT line that needs no decoding is not even copied: the row borrows the line
/// (``borrow(_:)``) and its cells are ranges of the member's own bytes.
/// The buffers are allocated by the row itself (it is not copyable and frees them when it
/// ends), so that appending a cell is a few stores rather than three array appends with their
/// uniqueness and capacity checks. Columns are 0-based here; locations printed for people are
/// 1-based.
package struct Row: ~Copyable {
    /// The kind of value a cell held in its source.
    package enum CellKind: UInt8, Sendable {
        /// Absent (an XLSX cell left out, or a CSV line with fewer fields).
        case missing
        /// Text (CSV and TXT cells are always text).
        case text
        /// An XLSX number: the text is the stored value (`0.86899999999999999`, `8.6E-2`).
        case number
        /// An XLSX boolean (`0`/`1`) or error (`#N/A`) value; kept as text.
        case other
    }

    /// Where a cell's text is in `text`, and its kind.
    private struct Cell {
        var start: Int32
        var end: Int32
        var kind: CellKind
    }

    /// The concatenated cell texts, UTF-8 (CSV input is decoded from Windows-1252 as it is read).
    private var storage: UnsafeMutablePointer<UInt8>
    /// What the cells' offsets count from: `storage`, or a borrowed line (see ``borrow(_:)``).
    private var text: UnsafePointer<UInt8>
    private var textCount = 0
    private var textCapacity: Int
    /// The cells, by column.
    private var cells: UnsafeMutablePointer<Cell>
    private var cellCount = 0
    private var cellCapacity: Int
    /// The 1-based line (CSV, TXT) or row number (XLSX) of this row.
    package var number: Int = 0
    /// The column being filled by ``beginCell(at:kind:)``.
    package var openColumn: Int = -1

    package init() {
        textCapacity = 1024
        storage = .allocate(capacity: textCapacity)
        text = UnsafePointer(storage)
        cellCapacity = 64
        cells = .allocate(capacity: cellCapacity)
    }

    deinit {
        storage.deallocate()
        cells.deallocate()
    }

    /// Number of columns (the highest present column + 1).
    package var count: Int { cellCount }

    /// The number of text bytes in the row so far (where the next byte of the open cell goes).
    package var byteCount: Int { textCount }

    /// Empties the row for reuse, keeping the buffers.
    @inline(__always)
    package mutating func reset(number: Int) {
        textCount = 0
        cellCount = 0
        openColumn = -1
        text = UnsafePointer(storage)
        self.number = number
    }

    /// Makes the cells added with ``appendBorrowed(from:to:kind:)`` ranges of `line` rather than
    /// copies, until the next ``reset(number:)``. The line must stay valid while the row is read,
    /// and nothing may be appended to the row's own buffer meanwhile.
    @inline(__always)
    package mutating func borrow(_ line: UnsafePointer<UInt8>) {
        text = line
    }

    /// Adds a cell at the next column that is bytes `start..<end` of the borrowed line (at most
    /// `Int32.max`).
    @inline(__always)
    package mutating func appendBorrowed(from start: Int, to end: Int, kind: CellKind = .text) {
        assert(text != UnsafePointer(storage), "appendBorrowed(from:to:kind:) without borrow(_:)")
        appendCell(Cell(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end), kind: kind))
    }

    /// Makes room for `extra` more text bytes.
    @inline(__always)
    private mutating func reserveText(_ extra: Int) {
        if textCount + extra > textCapacity { growText(textCount + extra) }
    }

    private mutating func growText(_ needed: Int) {
        var capacity = textCapacity * 2
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: storage, count: textCount)
        storage.deallocate()
        storage = grown
        text = UnsafePointer(grown)
        textCapacity = capacity
    }

    /// Appends a cell record, growing the cell buffer as needed.
    @inline(__always)
    private mutating func appendCell(_ cell: Cell) {
        if cellCount == cellCapacity { growCells() }
        cells[cellCount] = cell
        cellCount += 1
    }

    private mutating func growCells() {
        let capacity = cellCapacity * 2
        let grown = UnsafeMutablePointer<Cell>.allocate(capacity: capacity)
        grown.initialize(from: cells, count: cellCount)
        cells.deallocate()
        cells = grown
        cellCapacity = capacity
    }

    /// Appends a cell at the next column.
    package mutating func append(_ text: UnsafeBufferPointer<UInt8>, kind: CellKind = .text) {
        let start = Int32(textCount)
        appendBytes(text)
        appendCell(Cell(start: start, end: Int32(textCount), kind: kind))
    }

    /// Begins a cell at `column` (0-based), filling skipped columns as missing. The cell's text is
    /// then added with ``appendByte(_:)``/``appendBytes(_:)`` and closed with ``endCell()``.
    @inline(__always)
    package mutating func beginCell(at column: Int, kind: CellKind) {
        let offset = Int32(textCount)
        if column == cellCount {
            appendCell(Cell(start: offset, end: offset, kind: kind))
        } else {
            beginCellElsewhere(at: column, kind: kind)
        }
        openColumn = column
    }

    /// ``beginCell(at:kind:)`` for a column after a gap, or a repeated one.
    private mutating func beginCellElsewhere(at column: Int, kind: CellKind) {
        let offset = Int32(textCount)
        while cellCount < column { appendCell(Cell(start: offset, end: offset, kind: .missing)) }
        if column < cellCount {
            // A repeated reference: the later cell wins.
            cells[column].start = offset
            cells[column].kind = kind
        } else {
            appendCell(Cell(start: offset, end: offset, kind: kind))
        }
    }

    /// Adds one byte to the open cell.
    @inline(__always)
    package mutating func appendByte(_ byte: UInt8) {
        reserveText(1)
        storage[textCount] = byte
        textCount += 1
    }

    /// Adds bytes to the open cell.
    @inline(__always)
    package mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        guard count > 0, let source = bytes.baseAddress else { return }
        reserveText(count)
        let target = storage + textCount
        if count <= 16 {
            // Most cells are a few bytes: a loop is cheaper than a call to memcpy.
            for index in 0..<count { target[index] = source[index] }
        } else {
            target.update(from: source, count: count)
        }
        textCount += count
    }

    /// Adds a Unicode scalar to the open cell, UTF-8 encoded.
    package mutating func appendScalar(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        reserveText(4)
        let target = storage + textCount
        switch value {
        case 0..<0x80:
            target[0] = UInt8(value)
            textCount += 1
        case 0x80..<0x800:
            target[0] = UInt8(0xC0 | value >> 6)
            target[1] = UInt8(0x80 | value & 0x3F)
            textCount += 2
        case 0x800..<0x1_0000:
            target[0] = UInt8(0xE0 | value >> 12)
            target[1] = UInt8(0x80 | value >> 6 & 0x3F)
            target[2] = UInt8(0x80 | value & 0x3F)
            textCount += 3
        default:
            target[0] = UInt8(0xF0 | value >> 18)
            target[1] = UInt8(0x80 | value >> 12 & 0x3F)
            target[2] = UInt8(0x80 | value >> 6 & 0x3F)
            target[3] = UInt8(0x80 | value & 0x3F)
            textCount += 4
        }
    }

    /// Closes the open cell.
    @inline(__always)
    package mutating func endCell() {
        guard openColumn >= 0 else { return }
        cells[openColumn].end = Int32(textCount)
        openColumn = -1
    }

    /// Decodes the `_xHHHH_` escapes of the text from byte `start` to the end, in place.
    package mutating func decodeEscapes(from start: Int) {
        guard start < textCount else { return }
        textCount = XLSXEscapes.decode(storage, from: start, count: textCount)
    }

    /// The kind of the cell at `column`; `.missing` beyond the row's end.
    @inline(__always)
    package func kind(_ column: Int) -> CellKind {
        column < cellCount ? cells[column].kind : .missing
    }

    /// The bytes of the cell at `column` (empty when missing). The pointer is valid until the
    /// row is next changed, which cannot happen while the row is borrowed.
    @inline(__always)
    package func cell(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        guard column < cellCount else { return UnsafeBufferPointer(start: nil, count: 0) }
        let cell = cells[column]
        return UnsafeBufferPointer(start: text + Int(cell.start), count: Int(cell.end - cell.start))
    }

    /// Calls `body` with the bytes of the cell at `column` (empty when missing).
    @inline(__always)
    package func withCell<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(cell(column))
    }

    /// The bytes of the cell at `column` without leading and trailing spaces and tabs.
    @inline(__always)
    package func trimmedCell(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        let cell = cell(column)
        guard let base = cell.baseAddress else { return cell }
        var start = 0
        var end = cell.count
        while start < end, base[start] == 0x20 || base[start] == 0x09 { start += 1 }
        while end > start, base[end - 1] == 0x20 || base[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// The cell's text (empty when missing).
    package func string(_ column: Int) -> String {
        String(decoding: cell(column), as: UTF8.self)
    }

    /// The cell's text without leading and trailing spaces.
    package func trimmed(_ column: Int) -> String {
        String(decoding: trimmedCell(column), as: UTF8.self)
    }

    /// True when every cell is empty or spaces.
    package var isBlank: Bool {
        if text == UnsafePointer(storage) {
            // Every byte, as before borrowing existed: the text a repeated XLSX cell replaced counts.
            for index in 0..<textCount where text[index] != 0x20 && text[index] != 0x09 { return false }
            return true
        }
        // A borrowed line, cell by cell: it has separators between (and maybe bytes outside) its cells.
        for column in 0..<cellCount {
            let cell = cells[column]
            for index in Int(cell.start)..<Int(cell.end) where text[index] != 0x20 && text[index] != 0x09 {
                return false
            }
        }
        return true
    }

    /// The first control character in a cell (a byte below 0x20 other than a tab, a line break
    /// or the end-of-file mark 0x1A; or 0x7F), as its column and, for a borrowed line, its
    /// 0-based position in the line; nil for a row of text, which is every row of CMS's files.
    /// A NUL is never text: a catalog holding one could not be read back.
    package var firstControlCharacter: (column: Int, byte: UInt8, linePosition: Int?)? {
        for column in 0..<cellCount {
            let cell = cells[column]
            for index in Int(cell.start)..<Int(cell.end) {
                let byte = text[index]
                guard byte < 0x20 || byte == 0x7F else { continue }
                if byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x1A { continue }
                return (column, byte, text == UnsafePointer(storage) ? nil : index)
            }
        }
        return nil
    }

    /// True when the first cell is the DOS end-of-file mark (0x1A, or `_x001A_` in XLSX).
    package var isEndOfFileMark: Bool {
        let cell = cell(0)
        return (cell.count == 1 && cell[0] == 0x1A) || (cell.count == 7 && cell.elementsEqual("_x001A_".utf8))
    }

    /// The cells as strings, for tests and messages.
    package var strings: [String] { (0..<count).map { string($0) } }
}
