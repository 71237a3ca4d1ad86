import RVUContainers
import RVUCore

/// The locality to county crosswalk (LOCCO). Rows come in groups per state separated by blank
/// rows; the state is printed only on a group's first row and is filled down. CMS's own CSV loses
/// the leading zeros of MAC and locality numbers (`2102`, `0`): they are restored. A repeated row
/// (real files have one) is kept once, and a group without a state name keeps a blank state: both
/// are notes, quirks of CMS's own files that `--strict` does not turn into errors.
package struct LOCCOSchema: DatasetSchema {
    package typealias Record = LocalityCountyRecord

    enum Field: Int, CaseIterable {
        case mac, locality, state, area, counties
    }

    package static let kind = DatasetKind.locco

    package static let columns: [ColumnSpec] = Field.allCases.map { field in
        switch field {
        case .mac: LocalityColumns.mac(fixed: 5...9)
        case .locality: LocalityColumns.locality(fixed: 17...18)
        case .state: ColumnSpec("STATE", kind: .text, fixed: 23...45)
        case .area: ColumnSpec("FEE SCHEDULE AREA", kind: .text, fixed: 46...143)
        case .counties: ColumnSpec("COUNTIES", kind: .text, fixed: 144...2000)
        }
    }

    package static let headerFields = [Field.mac.rawValue, Field.locality.rawValue, Field.area.rawValue]

    /// TXT lines end after the last non-blank character; the county list may be empty or cut.
    package static let fixedWidthMinimumLength: Int? = 46

    package static func isFixedWidthRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count >= 9 else { return false }
        return line[0..<4].allSatisfy { $0 == 0x20 } && line[4..<9].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The group of each record kept, and each group's first row and state.
    private var groupOfRecord: [Int] = []
    private var groups: [(row: Int, state: String?)] = []
    private var groupOpen = false
    private var seen: [String: Int] = [:]

    package init() {}

    package mutating func blankRow() { groupOpen = false }

    package mutating func record(from row: borrowing Row, _ context: inout RowContext) -> LocalityCountyRecord? {
        typealias F = Field
        // Footnote rows ("MAC Assignments as of ...", "*  Payment locality is serviced by two
        // carriers.") have text in the first cell and no locality.
        guard let (mac, locality) = LocalityColumns.key(row, mac: F.mac.rawValue, locality: F.locality.rawValue, &context) else {
            return nil
        }
        let state = context.text(row, F.state.rawValue)
        if !groupOpen {
            groups.append((row: row.number, state: nil))
            groupOpen = true
        }
        if !state.isEmpty, groups[groups.count - 1].state == nil { groups[groups.count - 1].state = state }
        let record = LocalityCountyRecord(
            mac: mac, locality: locality, state: state, feeScheduleArea: context.text(row, F.area.rawValue),
            counties: context.text(row, F.counties.rawValue))
        // A repeat within the same state group (its state may be left blank) is the same row.
        let identity = [mac, locality, record.feeScheduleArea, record.counties, String(groups.count - 1)].joined(separator: "|")
        if let previous = seen[identity] {
            context.note(
                row, F.mac.rawValue, .duplicateRow,
                "row repeats \(context.location.sheet == nil ? "line" : "row") \(previous) (\(mac)/\(locality) \(record.feeScheduleArea)); kept once"
            )
            return nil
        }
        seen[identity] = row.number
        groupOfRecord.append(groups.count - 1)
        return record
    }

    /// Fills each group's state into the rows that leave it blank (the CSV prints it on the
    /// group's first row, the TXT on one of its rows).
    package func finish(_ records: inout [LocalityCountyRecord], _ context: inout RowContext) {
        guard groupOfRecord.count == records.count else { return }
        var warned = Set<Int>()
        for index in records.indices where records[index].state.isEmpty {
            let group = groupOfRecord[index]
            if let state = groups[group].state {
                records[index].state = state
            } else if warned.insert(group).inserted {
                context.diagnostics.append(
                    .note(
                        .missingState, "a group of rows has no state name; its rows keep a blank state",
                        at: context.location.at(line: groups[group].row, column: context.columns[Field.state.rawValue] + 1)))
            }
        }
    }
}
