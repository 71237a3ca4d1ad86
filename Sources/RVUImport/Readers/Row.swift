import RVUCore

/// One row of a table as read from a CSV line, a fixed-width record or an XLSX row.
///
/// The readers reuse one `Row` for every line: cell text lives in a single byte buffer and each
/// cell is a range into it, so reading a row allocates nothing once the buffers have grown.
/// Columns are 0-based here; locations printed for people are 1-based.
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

    /// The concatenated cell texts, UTF-8 (CSV input is decoded from Windows-1252 as it is read).
    package var bytes: [UInt8] = []
    /// Start and end offsets in `bytes` of each cell, by column.
    package var starts: [Int32] = []
    package var ends: [Int32] = []
    package var kinds: [CellKind] = []
    /// The 1-based line (CSV, TXT) or row number (XLSX) of this row.
    package var number: Int = 0

    package init() {}

    /// Number of columns (the highest present column + 1).
    package var count: Int { kinds.count }

    /// Empties the row for reuse, keeping the buffers' capacity.
    package mutating func reset(number: Int) {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        kinds.removeAll(keepingCapacity: true)
        self.number = number
    }

    /// Appends a cell at the next column.
    package mutating func append(_ text: UnsafeBufferPointer<UInt8>, kind: CellKind = .text) {
        starts.append(Int32(bytes.count))
        bytes.append(contentsOf: text)
        ends.append(Int32(bytes.count))
        kinds.append(kind)
    }

    /// Begins a cell at `column` (0-based), filling skipped columns as missing. The cell's text is
    /// then added with ``appendByte(_:)``/``appendBytes(_:)`` and closed with ``endCell()``.
    package mutating func beginCell(at column: Int, kind: CellKind) {
        while kinds.count < column {
            starts.append(Int32(bytes.count))
            ends.append(Int32(bytes.count))
            kinds.append(.missing)
        }
        if column < kinds.count {
            // A repeated reference: the later cell wins.
            starts[column] = Int32(bytes.count)
            kinds[column] = kind
        } else {
            starts.append(Int32(bytes.count))
            ends.append(Int32(bytes.count))
            kinds.append(kind)
        }
        openColumn = column
    }

    /// The column being filled by ``beginCell(at:kind:)``.
    package var openColumn: Int = -1

    /// Adds one byte to the open cell.
    @inline(__always)
    package mutating func appendByte(_ byte: UInt8) { bytes.append(byte) }

    /// Adds bytes to the open cell.
    package mutating func appendBytes(_ text: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: text) }

    /// Closes the open cell.
    package mutating func endCell() {
        guard openColumn >= 0 else { return }
        ends[openColumn] = Int32(bytes.count)
        openColumn = -1
    }

    /// The kind of the cell at `column`; `.missing` beyond the row's end.
    package func kind(_ column: Int) -> CellKind {
        column < kinds.count ? kinds[column] : .missing
    }

    /// Calls `body` with the bytes of the cell at `column` (empty when missing).
    @inline(__always)
    package func withCell<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard column < kinds.count else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let start = Int(starts[column])
        let end = Int(ends[column])
        return try bytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    /// The cell's text (empty when missing).
    package func string(_ column: Int) -> String {
        withCell(column) { String(decoding: $0, as: UTF8.self) }
    }

    /// The cell's text without leading and trailing spaces.
    package func trimmed(_ column: Int) -> String {
        withCell(column) { cell in
            var start = 0
            var end = cell.count
            while start < end, cell[start] == 0x20 || cell[start] == 0x09 { start += 1 }
            while end > start, cell[end - 1] == 0x20 || cell[end - 1] == 0x09 { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: cell[start..<end]), as: UTF8.self)
        }
    }

    /// True when every cell is empty or spaces.
    package var isBlank: Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// True when the first cell is the DOS end-of-file mark (0x1A, or `_x001A_` in XLSX).
    package var isEndOfFileMark: Bool {
        withCell(0) { cell in
            (cell.count == 1 && cell[0] == 0x1A) || cell.elementsEqual("_x001A_".utf8)
        }
    }

    /// The cells as strings, for tests and messages.
    package var strings: [String] { (0..<count).map { string($0) } }
}
