import RVUCore

/// Rows of one table encoded for binding, ``batchRows`` at most: their values in order, text as
/// ranges of one byte buffer. Built on one thread and bound on another (see ``RowChannel``).
struct RowBatch: Sendable {
    /// Rows per batch (one `INSERT ... VALUES (...), (...)` statement): within SQLite's limit of
    /// 32,766 parameters for the widest table.
    static let batchRows = 64

    enum Value: Sendable {
        case null
        case integer(Int64)
        case real(Double)
        case text(start: Int, count: Int)
    }

    /// The table's name and column count.
    var table: String
    var columns: Int
    var values: [Value] = []
    var text: [UInt8] = []
    var rows = 0

    init(table: String, columns: Int) {
        self.table = table
        self.columns = columns
        values.reserveCapacity(columns * Self.batchRows)
        text.reserveCapacity(1 << 14)
    }

    var isFull: Bool { rows == Self.batchRows }

    mutating func add(_ row: [CatalogValue]) {
        for value in row {
            switch value {
            case .null: appendNull()
            case .integer(let integer): append(integer)
            case .decimal(let decimal): append(decimal.doubleValue)
            case .text(let string): append(string)
            }
        }
        endRow()
    }

    mutating func appendNull() { values.append(.null) }

    mutating func append(_ integer: Int64) { values.append(.integer(integer)) }

    mutating func append(_ double: Double) { values.append(.real(double)) }

    mutating func append(_ string: String) {
        let start = text.count
        if string.utf8.withContiguousStorageIfAvailable({ text.append(contentsOf: $0) }) == nil {
            text.append(contentsOf: string.utf8)
        }
        values.append(.text(start: start, count: text.count - start))
    }

    /// Ends a row whose values were appended one by one.
    mutating func endRow() { rows += 1 }

    /// Empties the batch for another table (or the same), keeping its storage.
    mutating func reset(table: String, columns: Int) {
        self.table = table
        self.columns = columns
        values.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        rows = 0
    }
}
