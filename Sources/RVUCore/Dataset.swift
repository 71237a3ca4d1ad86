/// The five datasets of a PFS relative-value release.
public enum DatasetKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The relative value file (PPRRVU): RVUs and payment policy indicators per code and modifier.
    case pprrvu
    /// Geographic practice cost indices per locality.
    case gpci
    /// Locality to county crosswalk.
    case locco
    /// Anesthesia conversion factors per locality.
    case anes
    /// OPPS imaging payment caps per code, modifier and locality.
    case oppscap

    /// The order datasets are listed in.
    var rank: Int {
        switch self {
        case .pprrvu: 0
        case .gpci: 1
        case .locco: 2
        case .anes: 3
        case .oppscap: 4
        }
    }

    public static func < (lhs: DatasetKind, rhs: DatasetKind) -> Bool { lhs.rank < rhs.rank }
}

/// Which PPRRVU file a record came from. CY2026 publishes two: one for clinicians who are not
/// qualifying APM participants (`general`) and one for those who are (`qpp`). Other datasets and
/// earlier years have only `general`.
public enum Variant: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case general
    case qpp

    public static func < (lhs: Variant, rhs: Variant) -> Bool { lhs == .general && rhs == .qpp }
}

/// The file format of a dataset member.
public enum FileFormat: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case csv, txt, xlsx

    /// The order formats are listed in.
    var rank: Int {
        switch self {
        case .csv: 0
        case .txt: 1
        case .xlsx: 2
        }
    }

    public static func < (lhs: FileFormat, rhs: FileFormat) -> Bool { lhs.rank < rhs.rank }
}
