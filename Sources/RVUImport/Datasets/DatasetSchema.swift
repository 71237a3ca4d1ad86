import RVUContainers
import RVUCore

/// What one dataset parser knows: its columns, how to recognise its header and its fixed-width
/// records, and how to build a typed record from a row. The shared driver,
/// ``DatasetReader``, does the rest for every format.
package protocol DatasetSchema {
    associatedtype Record: Sendable

    static var kind: DatasetKind { get }
    /// The columns, in the order of the schema's field numbers.
    static var columns: [ColumnSpec] { get }
    /// Fields whose labels, all present in one row, identify the header row.
    static var headerFields: [Int] { get }
    /// Groups of optional fields of which at least one must be present.
    static var requiredAlternatives: [[Int]] { get }
    /// True for a line of the fixed-width member that is a record (not a header, note or blank).
    static func isFixedWidthRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool
    /// The shortest acceptable fixed-width record; shorter ones are truncated. Defaults to the end
    /// of the last required column.
    static var fixedWidthMinimumLength: Int? { get }

    /// Builds a record from a data row, or nil for a row that is not a record (a footnote) or
    /// that failed (``RowContext/rowFailed``).
    mutating func record(from row: borrowing Row, _ context: inout RowContext) -> Record?
    /// Called for each blank row among the data rows (LOCCO ends a state group there).
    mutating func blankRow()
    /// Checks across records (duplicate keys), after the last row.
    func finish(_ records: inout [Record], _ context: inout RowContext)
}

extension DatasetSchema {
    package mutating func blankRow() {}

    package static var fixedWidthMinimumLength: Int? { nil }

    package static var requiredAlternatives: [[Int]] { [] }

    /// The fixed-width layout: every column with a position, in field order.
    static var fixedWidthLayout: FixedWidthLayout {
        let fields = columns.compactMap { spec in spec.fixed.map { FixedWidthLayout.Field(spec.name, $0) } }
        let required = columns.filter(\.required).compactMap(\.fixed?.upperBound).max()
        return FixedWidthLayout(fields: fields, minimumLength: fixedWidthMinimumLength ?? required)
    }
}

/// Reports keys seen more than once, naming both rows.
package struct DuplicateFinder<Key: Hashable> {
    private var firstRow: [Key: Int] = [:]

    package init() {}

    /// Returns the row where `key` was first seen, or nil (and remembers `row`) when it is new.
    package mutating func previousRow(of key: Key, row: Int) -> Int? {
        if let previous = firstRow[key] { return previous }
        firstRow[key] = row
        return nil
    }
}
