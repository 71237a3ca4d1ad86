import RVUCore

/// The typed records of one dataset member.
package enum DatasetRecords: Sendable {
    case pprrvu([RVURecord])
    case gpci([GPCIRecord])
    case locco([LocalityCountyRecord])
    case anes([AnesthesiaRecord])
    case oppscap([OPPSCapRecord])

    /// The number of records.
    package var count: Int {
        switch self {
        case .pprrvu(let records): records.count
        case .gpci(let records): records.count
        case .locco(let records): records.count
        case .anes(let records): records.count
        case .oppscap(let records): records.count
        }
    }
}

/// One dataset member, read: what it is, its records and what was found on the way.
public struct ParsedMember: Sendable {
    package let info: MemberInfo
    /// The member's location label (`RVU24B.zip/PPRRVU24_APR.csv`).
    package let location: String
    package let records: DatasetRecords
    /// The source row of each record (line for CSV/TXT, sheet row for XLSX).
    package let rowNumbers: [Int]
    public let diagnostics: [Diagnostic]
    /// The `RELEASED` date of the preamble, when the member has one.
    public let releasedOn: CalendarDate?
    /// The preamble's title naming the release, when the member has one.
    public let title: String?
    /// The copyright notices of the preamble.
    public let notices: [String]
    /// The national anesthesia conversion factor named by a 2025-style ANES label.
    public let nationalAnesthesiaCF: ExactDecimal?
    /// The member's size and SHA-256 (lower-case hex) as stored, uncompressed.
    public let bytes: Int
    public let sha256: String
    /// The number of records read (kept when the records are released after the cross-check).
    public let rowCount: Int

    package init(
        info: MemberInfo, location: String, records: DatasetRecords, rowNumbers: [Int], diagnostics: [Diagnostic],
        releasedOn: CalendarDate?, title: String? = nil, notices: [String], nationalAnesthesiaCF: ExactDecimal?, bytes: Int, sha256: String,
        rowCount: Int? = nil
    ) {
        self.info = info
        self.location = location
        self.records = records
        self.rowNumbers = rowNumbers
        self.diagnostics = diagnostics
        self.releasedOn = releasedOn
        self.title = title
        self.notices = notices
        self.nationalAnesthesiaCF = nationalAnesthesiaCF
        self.bytes = bytes
        self.sha256 = sha256
        self.rowCount = rowCount ?? records.count
    }

    /// This member without its records and row numbers (its counts and findings stay).
    package func releasingRecords() -> ParsedMember {
        let empty: DatasetRecords =
            switch records {
            case .pprrvu: .pprrvu([])
            case .gpci: .gpci([])
            case .locco: .locco([])
            case .anes: .anes([])
            case .oppscap: .oppscap([])
            }
        let copy = ParsedMember(
            info: info, location: location, records: empty, rowNumbers: [], diagnostics: diagnostics, releasedOn: releasedOn,
            title: title, notices: notices, nationalAnesthesiaCF: nationalAnesthesiaCF, bytes: bytes, sha256: sha256, rowCount: rowCount)
        return copy
    }

    public var name: String { info.name }
    public var kind: DatasetKind { info.kind }
    public var variant: Variant { info.variant }
    public var format: FileFormat { info.format }
}
