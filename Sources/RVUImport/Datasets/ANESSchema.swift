import RVUContainers
import RVUCore

/// The anesthesia conversion factors per locality (ANES). CSV fields may be padded with spaces;
/// names carry footnote marks (`*`), stripped into ``AnesthesiaRecord/footnoted``. The TXT writes
/// the factor with two implied decimals (`1931` = 19.31). From 2025 the factor's label names the
/// national factor (`National Anes CF of 20.3178`). A second factor column for qualifying APM
/// participants (2026 on) is read into ``AnesthesiaRecord/qppConversionFactor``.
package struct ANESSchema: DatasetSchema {
    package typealias Record = AnesthesiaRecord

    enum Field: Int, CaseIterable {
        case mac, locality, name, conversionFactor, qppConversionFactor
    }

    /// True for a label naming an anesthesia conversion factor.
    static func isFactor(_ label: String) -> Bool {
        (label.contains("ANES") && (label.contains("CF") || label.contains("CONVERSIONFACTOR"))) || label == "CONVERSIONFACTOR"
    }

    /// True for a label that names the factor of qualifying APM participants (and not of the others).
    static func isQualifying(_ label: String) -> Bool {
        let others = ["NONQUALIFYING", "NOTQUALIFYING", "NONQP", "NOTQP", "NONAPM"].contains { label.contains($0) }
        return !others && (label.contains("QUALIFYING") || label.contains("QP") || label.contains("APM"))
    }

    package static let kind = DatasetKind.anes

    package static let columns: [ColumnSpec] = Field.allCases.map { field in
        switch field {
        case .mac: LocalityColumns.mac(fixed: 1...5)
        case .locality: LocalityColumns.locality(fixed: 13...14)
        case .name: ColumnSpec("LOCALITY NAME", aliases: ["NAME"], kind: .text, fixed: 19...58)
        case .conversionFactor:
            ColumnSpec(
                "ANESTHESIA CONVERSION FACTOR", matches: { isFactor($0) && !isQualifying($0) }, kind: .decimal(scale: 2),
                fixed: 74...77)
        case .qppConversionFactor:
            ColumnSpec(
                "ANESTHESIA CONVERSION FACTOR (QUALIFYING APM)", matches: { isFactor($0) && isQualifying($0) },
                kind: .decimal(scale: 2), required: false)
        }
    }

    package static let headerFields = [Field.mac.rawValue, Field.locality.rawValue, Field.conversionFactor.rawValue]

    package static func isFixedWidthRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        LocalityColumns.startsWithContractor(line)
    }

    private var keys = DuplicateFinder<String>()

    package init() {}

    package mutating func record(from row: borrowing Row, _ context: inout RowContext) -> AnesthesiaRecord? {
        typealias F = Field
        // Footnote rows ("MAC Assignments as of ...", "*  Payment locality is serviced by two
        // carriers.") have text in the first cell and no locality.
        guard let (mac, locality) = LocalityColumns.key(row, mac: F.mac.rawValue, locality: F.locality.rawValue, &context) else {
            return nil
        }
        let factor = context.requiredDecimal(
            row, F.conversionFactor.rawValue, impliedScale: context.format == .txt ? 2 : nil)
        let qppFactor = context.decimal(row, F.qppConversionFactor.rawValue)
        guard !context.rowFailed else { return nil }
        var name = context.text(row, F.name.rawValue)
        var footnoted = false
        while let last = name.last, last == "*" || last == "+" || last == "^" {
            name.removeLast()
            footnoted = true
        }
        name = name.trimmingSpaces
        guard LocalityColumns.isNew(mac, locality, in: &keys, field: F.mac.rawValue, row: row, &context) else { return nil }
        return AnesthesiaRecord(
            mac: mac, locality: locality, name: name, footnoted: footnoted, conversionFactor: factor, qppConversionFactor: qppFactor)
    }

    package func finish(_ records: inout [AnesthesiaRecord], _ context: inout RowContext) {}
}
