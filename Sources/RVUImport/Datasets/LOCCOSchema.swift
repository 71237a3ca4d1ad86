import RVUCore

/// The locality to county crosswalk (LOCCO). Rows come in groups per state separated by blank
/// rows; the state is printed only on a group's first row and is filled down. CMS's own CSV loses
/// the leading zeros of MAC and locality numbers (`2102`, `0`): they are restored. A repeated row
/// is a warning (real files have one) and is kept once.
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

    private var groupState: String?
    private var seen: [LocalityCountyRecord: Int] = [:]

    package init() {}

    package mutating func blankRow() { groupState = nil }

    package mutating func record(from row: borrowing Row, _ context: inout RowContext) -> LocalityCountyRecord? {
        typealias F = Field
        let mac = context.code(row, F.mac.rawValue, restoreZeros: true)
        let locality = context.code(row, F.locality.rawValue, restoreZeros: true)
        // The closing footnote ("*  Payment locality is serviced by two carriers.").
        if !LocalityColumns.isNumber(mac), locality.isEmpty { return nil }
        guard LocalityColumns.check(mac: mac, locality: locality, macField: F.mac.rawValue, localityField: F.locality.rawValue, row: row, &context)
        else { return nil }
        var state = context.text(row, F.state.rawValue)
        if state.isEmpty {
            if let groupState {
                state = groupState
            } else {
                context.warn(row, F.state.rawValue, "missing-state", "the first row of a state group has no state name")
            }
        } else {
            groupState = state
        }
        let record = LocalityCountyRecord(
            mac: mac, locality: locality, state: state, feeScheduleArea: context.text(row, F.area.rawValue),
            counties: context.text(row, F.counties.rawValue))
        if let previous = seen[record] {
            context.warn(
                row, F.mac.rawValue, "duplicate-row",
                "row repeats \(context.location.sheet == nil ? "line" : "row") \(previous) (\(mac)/\(locality) \(record.feeScheduleArea)); kept once")
            return nil
        }
        seen[record] = row.number
        return record
    }

    package func finish(_ records: [LocalityCountyRecord], _ context: inout RowContext) {}
}
