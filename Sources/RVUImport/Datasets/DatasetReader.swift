import Foundation
import RVUContainers
import RVUCore

/// The result of reading one dataset member.
package struct DatasetTable<Record: Sendable>: Sendable {
    package var records: [Record] = []
    /// The source row (line or sheet row) of each record, for messages.
    package var rowNumbers: [Int] = []
    package var diagnostics: [Diagnostic] = []
    /// The `RELEASED mm/dd/yyyy` date from the preamble, if the member has one.
    package var releasedOn: CalendarDate?
    /// Preamble lines that are copyright notices (AMA, ADA), as printed.
    package var notices: [String] = []
    /// The preamble's title naming the release (`2024 National Physician Fee Schedule Relative
    /// Value File April Release`), if the member has one.
    package var title: String?
    /// Header labels (normalised) that matched no known column.
    package var unknownColumns: [String] = []
    /// The label of each column as printed (stacked header rows joined), by field; nil if absent.
    package var headerLabels: [String?] = []

    /// Makes room for about `rows` records at once, so that the arrays are not grown by doubling
    /// (which leaves up to half of a large array unused, and holds both copies while growing).
    /// The hint is capped by the import's row limit: a hostile file cannot make it reserve more.
    package mutating func reserve(rows: Int) {
        let limit = ImportScope.current?.limits.maximumRows ?? ImportLimits().maximumRows
        let count = min(max(rows, 0), limit)
        records.reserveCapacity(count)
        rowNumbers.reserveCapacity(count)
    }

    /// The number of line feeds in `bytes`: an upper bound on the rows of a CSV or TXT member.
    package static func lineCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard var position = bytes.baseAddress.map(UnsafeRawPointer.init) else { return 0 }
        let end = position + bytes.count
        var count = 0
        while position < end, let found = memchr(position, 0x0A, end - position) {
            count += 1
            position = UnsafeRawPointer(found) + 1
        }
        return count + 1
    }
}

/// Reads a dataset member in any of the three formats with a ``DatasetSchema``.
///
/// CSV and XLSX: the header row is found by content (the first row where the schema's header
/// fields all match), a column's label is its cell joined with the stacked header cells above
/// it, columns are mapped by label, unknown labels are warnings and missing required columns are
/// an error. TXT: the schema's fixed positions. Data rows are then turned into records.
package struct DatasetReader<Schema: DatasetSchema> {
    package var schema: Schema
    package let location: SourceLocation
    package let format: FileFormat

    /// How many rows may precede the header before the member is judged to have none.
    package static var maximumPreambleRows: Int { 60 }

    package init(schema: Schema, location: SourceLocation, format: FileFormat) {
        self.schema = schema
        self.location = location
        self.format = format
    }

    // MARK: Reading

    /// Reads a CSV member.
    package mutating func readCSV(_ bytes: UnsafeBufferPointer<UInt8>) throws -> DatasetTable<Schema.Record> {
        var state = TabularState<Schema>(location: location, format: .csv)
        state.table.reserve(rows: DatasetTable<Schema.Record>.lineCount(bytes))
        try CSVReader(bytes: bytes, location: location).forEachRow { row in
            try state.consume(row, schema: &schema)
        }
        return try state.finish(schema: schema)
    }

    /// Reads rows from any tabular source (XLSX sheets use this).
    /// `produce` gets the row handler and a handler for a size hint (about how many rows are to
    /// come: an XLSX sheet's dimension).
    package mutating func readRows(
        _ produce: (_ row: (borrowing Row) throws -> Void, _ sizeHint: (Int) -> Void) throws -> Void
    ) throws -> DatasetTable<Schema.Record> {
        var state = TabularState<Schema>(location: location, format: format)
        var hint: Int?
        try produce(
            { row in
                if let rows = hint {
                    state.table.reserve(rows: rows)
                    hint = nil
                }
                try state.consume(row, schema: &schema)
            }, { rows in hint = rows })
        return try state.finish(schema: schema)
    }

    /// Reads a fixed-width member.
    package mutating func readFixedWidth(_ bytes: UnsafeBufferPointer<UInt8>) throws -> DatasetTable<Schema.Record> {
        let specs = Schema.columns
        var columns = [Int](repeating: -1, count: specs.count)
        var next = 0
        for (index, spec) in specs.enumerated() where spec.fixed != nil {
            columns[index] = next
            next += 1
        }
        var context = RowContext(specs: specs, columns: columns, format: .txt, location: location)
        var table = DatasetTable<Schema.Record>()
        table.reserve(rows: DatasetTable<Schema.Record>.lineCount(bytes))
        table.headerLabels = specs.map { $0.fixed == nil ? nil : $0.name }
        var schema = self.schema
        let scope = ImportScope.current
        try FixedWidthReader(bytes: bytes, location: location, layout: Schema.fixedWidthLayout).forEachRecord(
            isRecord: Schema.isFixedWidthRecord, onBlankLine: { schema.blankRow() }
        ) { row in
            try scope?.countRow(at: location.at(line: row.number))
            context.rowFailed = false
            if context.isFreeOfControlCharacters(row), let record = schema.record(from: row, &context), !context.rowFailed {
                table.records.append(consume record)
                table.rowNumbers.append(row.number)
            }
        }
        schema.finish(&table.records, &context)
        self.schema = schema
        table.diagnostics = context.diagnostics
        return table
    }
}

/// The state of a tabular read: looking for the header, then reading data rows.
struct TabularState<Schema: DatasetSchema> {
    let location: SourceLocation
    let format: FileFormat
    var preamble: [[String]] = []
    var context: RowContext?
    var table = DatasetTable<Schema.Record>()
    var rowsSeen = 0
    /// The row of the end-of-file mark, once read.
    var markRow: Int?
    var lastRowNumber = 0
    /// The import's scope, which counts data rows against ``ImportLimits/maximumRows``.
    let scope = ImportScope.current

    init(location: SourceLocation, format: FileFormat) {
        self.location = location
        self.format = format
    }

    mutating func consume(_ row: borrowing Row, schema: inout Schema) throws {
        // Only an XLSX sheet has rows after the mark here (the CSV reader stops at it, and checks
        // what follows): they must be blank.
        if let markRow {
            try EndOfFileMark.checkRowAfterMark(row, markLine: markRow, location: location)
            return
        }
        rowsSeen += 1
        if row.isEndOfFileMark {
            try EndOfFileMark.checkRestOfMarkRow(row, location: location)
            markRow = row.number
            return
        }
        guard context != nil else {
            try lookForHeader(row)
            return
        }
        // A spreadsheet leaves empty rows out: a gap in row numbers is a blank row.
        if format == .xlsx, lastRowNumber > 0, row.number > lastRowNumber + 1 { schema.blankRow() }
        lastRowNumber = row.number
        if row.isBlank {
            schema.blankRow()
            return
        }
        // Moved out and back, not copied: a copy would duplicate its diagnostics and key sets on
        // every row, which made a member of many bad rows take quadratic time.
        guard var context = context.take() else { return }
        try scope?.countRow(at: location.at(line: row.number))
        context.rowFailed = false
        if context.isFreeOfControlCharacters(row), let record = schema.record(from: row, &context), !context.rowFailed {
            table.records.append(consume record)
            table.rowNumbers.append(row.number)
        }
        self.context = context
    }

    private mutating func lookForHeader(_ row: borrowing Row) throws {
        let cells = (0..<row.count).map { row.trimmed($0) }
        for cell in cells where !cell.isEmpty {
            let upper = cell.uppercased()
            if let range = upper.range(of: "RELEASED") {
                let rest = upper[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " :"))
                if let date = CalendarDate(usFormat: rest.prefix(while: { !$0.isWhitespace })) {
                    table.releasedOn = date
                }
            }
            if upper.contains("COPYRIGHT") { table.notices.append(cell) }
            if table.title == nil, upper.contains("RELEASE"), !upper.contains("RELEASED"),
                ReleaseEvidence.year(in: cell, twoDigits: false) != nil
            {
                table.title = cell
            }
        }
        let normalized = cells.map(ColumnSpec.normalize)
        let specs = Schema.columns
        let isHeader = Schema.headerFields.allSatisfy { field in normalized.contains { specs[field].accepts($0) } }
        guard isHeader else {
            preamble.append(cells)
            if rowsSeen > DatasetReader<Schema>.maximumPreambleRows {
                throw DiagnosticError(
                    .missingHeader,
                    "no header row in the first \(DatasetReader<Schema>.maximumPreambleRows) rows: expected a row with \(Schema.headerFields.map { "'\(specs[$0].name)'" }.joined(separator: ", ")); is this a \(Schema.kind.rawValue) file?",
                    at: location.at(line: row.number))
            }
            return
        }
        // Stacked labels: join each column's cells from the header rows above, stopping at a blank
        // row, a row holding the release date or a notice, or a title-like row.
        var stack: [[String]] = []
        for previous in preamble.reversed().prefix(5) {
            let joined = previous.joined(separator: " ").uppercased()
            if previous.allSatisfy(\.isEmpty) || joined.contains("RELEASED") || joined.contains("COPYRIGHT")
                || previous.contains(where: { $0.count > 40 })
            {
                break
            }
            stack.insert(previous, at: 0)
        }
        var labels: [String] = []
        for column in 0..<cells.count {
            let parts = stack.compactMap { $0.indices.contains(column) ? $0[column] : nil } + [cells[column]]
            labels.append(parts.filter { !$0.isEmpty }.joined(separator: " "))
        }
        try map(labels: labels, row: row.number)
    }

    private mutating func map(labels: [String], row: Int) throws {
        let specs = Schema.columns
        var columns = [Int](repeating: -1, count: specs.count)
        var diagnostics: [Diagnostic] = []
        var headerLabels = [String?](repeating: nil, count: specs.count)
        for (column, label) in labels.enumerated() {
            let key = ColumnSpec.normalize(label)
            guard !key.isEmpty else { continue }
            guard let field = specs.indices.first(where: { specs[$0].accepts(key) }) else {
                table.unknownColumns.append(label)
                diagnostics.append(
                    .warning(
                        .unknownColumn, "unknown column '\(label)' is ignored; a new CMS column? add it to the alias table if it matters",
                        at: location.at(line: row, column: column + 1)))
                continue
            }
            if columns[field] >= 0 {
                throw DiagnosticError(
                    .duplicateColumn,
                    "column '\(specs[field].name)' appears twice (columns \(columns[field] + 1) and \(column + 1)); which one holds the data is unclear",
                    at: location.at(line: row, column: column + 1))
            }
            columns[field] = column
            headerLabels[field] = label
        }
        var missing = specs.indices.filter { specs[$0].required && columns[$0] < 0 }
        for group in Schema.requiredAlternatives where group.allSatisfy({ columns[$0] < 0 }) {
            missing += group.prefix(1)
        }
        if !missing.isEmpty {
            throw DiagnosticError(
                .missingColumn,
                "required column\(missing.count > 1 ? "s" : "") \(missing.map { "'\(specs[$0].name)'" }.joined(separator: ", ")) not found in the header",
                at: location.at(line: row))
        }
        table.headerLabels = headerLabels
        table.diagnostics.append(contentsOf: diagnostics)
        context = RowContext(specs: specs, columns: columns, format: format, location: location)
    }

    mutating func finish(schema: Schema) throws -> DatasetTable<Schema.Record> {
        guard var context else {
            throw DiagnosticError(
                .missingHeader,
                "no header row found: expected a row with \(Schema.headerFields.map { "'\(Schema.columns[$0].name)'" }.joined(separator: ", "))",
                at: location)
        }
        schema.finish(&table.records, &context)
        table.diagnostics.append(contentsOf: context.diagnostics)
        return table
    }
}
