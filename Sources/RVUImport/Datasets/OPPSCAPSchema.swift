import RVUContainers
import RVUCore

/// The OPPS imaging payment caps (OPPSCAP): no preamble, one row per code, modifier, contractor
/// and locality. CMS's header misspells `NON-FACILTY PRICE`.
package struct OPPSCAPSchema: DatasetSchema {
    package typealias Record = OPPSCapRecord

    enum Field: Int, CaseIterable {
        case hcpcs, modifier, status, mac, locality, facilityPrice, nonfacilityPrice
    }

    package static let kind = DatasetKind.oppscap

    package static let columns: [ColumnSpec] = Field.allCases.map { field in
        switch field {
        case .hcpcs: ColumnSpec("HCPCS", aliases: ["HCPCS CODE"], kind: .code(width: 5), fixed: 1...5)
        case .modifier: ColumnSpec("MOD", aliases: ["MODIFIER"], kind: .code(width: 2), fixed: 6...7)
        case .status: ColumnSpec("PROCSTAT", aliases: ["STATUS", "STATUS CODE", "PROC STAT"], kind: .code(width: 1), fixed: 9...9)
        case .mac: LocalityColumns.mac(fixed: 11...15)
        case .locality: LocalityColumns.locality(fixed: 18...19)
        case .facilityPrice: ColumnSpec("FACILITY PRICE", kind: .decimal(scale: 2), fixed: 20...28)
        case .nonfacilityPrice:
            ColumnSpec("NON-FACILTY PRICE", aliases: ["NON-FACILITY PRICE", "NONFACILITY PRICE"], kind: .decimal(scale: 2), fixed: 29...38)
        }
    }

    package static let headerFields = [Field.hcpcs.rawValue, Field.mac.rawValue, Field.facilityPrice.rawValue]

    package static func isFixedWidthRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool { line.count >= 5 }

    /// Keys seen (`70450-TC 01112/05`).
    private var keys = DuplicateFinder<String>()
    /// Rows whose codes lost their leading zeros; only the first is reported.
    private var lostZeros = 0

    /// The status codes, held by each parser (a static is checked for initialisation on every use).
    private let statuses = PPRRVUSchema.statusCodes

    package init() {}

    package mutating func record(from row: borrowing Row, _ context: inout RowContext) -> OPPSCapRecord? {
        typealias F = Field
        guard let hcpcs = context.hcpcs(row, F.hcpcs.rawValue, lostZeros: &lostZeros) else { return nil }
        let modifier = context.code(row, F.modifier.rawValue)
        let status = context.text(row, F.status.rawValue, in: statuses)
        let mac = context.code(row, F.mac.rawValue, restoreZeros: true)
        let locality = context.code(row, F.locality.rawValue, restoreZeros: true)
        guard
            LocalityColumns.check(
                mac: mac, locality: locality, macField: F.mac.rawValue, localityField: F.locality.rawValue, row: row, &context)
        else { return nil }
        let facility = context.requiredDecimal(row, F.facilityPrice.rawValue)
        let nonfacility = context.requiredDecimal(row, F.nonfacilityPrice.rawValue)
        if !status.known { context.report(row, F.status.rawValue, status.value, in: statuses, severity: .error) }
        guard !context.rowFailed else { return nil }
        let key = "\(hcpcs)\(modifier.isEmpty ? "" : "-\(modifier)") \(mac)/\(locality)"
        if let previous = keys.previousRow(of: key, row: row.number) {
            context.fail(
                row, F.hcpcs.rawValue, .duplicateKey,
                "duplicate code, modifier, contractor and locality \(key) (first at row \(previous))")
            return nil
        }
        return OPPSCapRecord(
            hcpcs: hcpcs, modifier: modifier, status: status.value, mac: mac, locality: locality, facilityPrice: facility,
            nonfacilityPrice: nonfacility)
    }

    package func finish(_ records: inout [OPPSCapRecord], _ context: inout RowContext) {
        context.countLostLeadingZeros(lostZeros)
    }
}
