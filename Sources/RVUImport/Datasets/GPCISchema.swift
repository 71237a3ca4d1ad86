import RVUContainers
import RVUCore

/// The GPCI file (Addendum E): one row per contractor and locality. The year is part of the
/// labels (`2025 PE GPCI`); some years carry the work GPCI both with and without the 1.0 floor.
package struct GPCISchema: DatasetSchema {
    package typealias Record = GPCIRecord

    enum Field: Int, CaseIterable {
        case mac, state, locality, name, work, workWithoutFloor, pe, mp
    }

    package static let kind = DatasetKind.gpci

    package static let columns: [ColumnSpec] = Field.allCases.map { field in
        switch field {
        case .mac: LocalityColumns.mac(fixed: 1...5)
        case .state: ColumnSpec("STATE", kind: .code(width: nil), fixed: 17...18)
        case .locality: LocalityColumns.locality(fixed: 25...26)
        case .name: ColumnSpec("LOCALITY NAME", kind: .text, fixed: 30...121)
        case .work:
            ColumnSpec(
                "PW GPCI", aliases: ["WORK GPCI"],
                matches: { ($0.contains("PWGPCI") || $0.contains("WORKGPCI")) && !$0.contains("WITHOUT") },
                kind: .decimal(scale: 3), required: false, fixed: 122...400)
        case .workWithoutFloor:
            ColumnSpec(
                "PW GPCI (without 1.0 floor)",
                matches: { ($0.contains("PWGPCI") || $0.contains("WORKGPCI")) && $0.contains("WITHOUT") },
                kind: .decimal(scale: 3), required: false)
        case .pe: ColumnSpec("PE GPCI", matches: { $0.hasSuffix("PEGPCI") }, kind: .decimal(scale: 3))
        case .mp: ColumnSpec("MP GPCI", matches: { $0.hasSuffix("MPGPCI") }, kind: .decimal(scale: 3))
        }
    }

    package static let headerFields = [Field.mac.rawValue, Field.locality.rawValue, Field.pe.rawValue]

    /// A work GPCI column must be there: with the floor, or only without it (a year without a
    /// floor may print only that one).
    package static let requiredAlternatives = [[Field.work.rawValue, Field.workWithoutFloor.rawValue]]

    /// The fixed-width numbers stand after the name, from position 122, separated by spaces:
    /// three (work, PE, MP) or four (work with the floor, work without it, PE, MP).
    package static let fixedWidthMinimumLength: Int? = 126

    package static func isFixedWidthRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        LocalityColumns.startsWithContractor(line)
    }

    private var keys = DuplicateFinder<String>()

    package init() {}

    package mutating func record(from row: borrowing Row, _ context: inout RowContext) -> GPCIRecord? {
        typealias F = Field
        // Footnote rows ("MAC Assignments as of ...", "*  Payment locality is serviced by two
        // carriers.") have text in the first cell and no locality.
        guard let (mac, locality) = LocalityColumns.key(row, mac: F.mac.rawValue, locality: F.locality.rawValue, &context) else {
            return nil
        }
        var work: ExactDecimal
        var workWithoutFloor: ExactDecimal?
        var pe: ExactDecimal
        var mp: ExactDecimal
        if context.format == .txt {
            let numbers = context.text(row, F.work.rawValue).split(separator: " ").map { ExactDecimal(String($0)) }
            guard numbers.count == 3 || numbers.count == 4, numbers.allSatisfy({ $0 != nil }) else {
                context.fail(
                    row, F.work.rawValue, .notANumber,
                    "expected three GPCIs (work, PE, MP) or four (work with and without the floor, PE, MP) from position 122, found \"\(context.text(row, F.work.rawValue))\""
                )
                return nil
            }
            let values = numbers.compactMap { $0 }
            work = values[0]
            if values.count == 4 { workWithoutFloor = values[1] }
            pe = values[values.count - 2]
            mp = values[values.count - 1]
        } else {
            if context.has(F.work.rawValue) {
                work = context.requiredDecimal(row, F.work.rawValue)
                workWithoutFloor = context.decimal(row, F.workWithoutFloor.rawValue)
            } else {
                // Only a "without floor" column: it is the work GPCI that applies.
                work = context.requiredDecimal(row, F.workWithoutFloor.rawValue)
            }
            pe = context.requiredDecimal(row, F.pe.rawValue)
            mp = context.requiredDecimal(row, F.mp.rawValue)
        }
        guard !context.rowFailed else { return nil }
        guard LocalityColumns.isNew(mac, locality, in: &keys, field: F.mac.rawValue, row: row, &context) else { return nil }
        return GPCIRecord(
            mac: mac, state: context.text(row, F.state.rawValue), locality: locality, name: context.text(row, F.name.rawValue),
            workGPCI: work, workGPCIWithoutFloor: workWithoutFloor, peGPCI: pe, mpGPCI: mp)
    }

    package func finish(_ records: inout [GPCIRecord], _ context: inout RowContext) {}
}
