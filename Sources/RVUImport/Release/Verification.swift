import RVUCore

/// Which formats an import parses besides the authoritative one (the CSV, else the XLSX, else
/// the TXT of each dataset), to cross-check them against it. Members not parsed are still listed
/// with their size and checksum; the records, and so the catalog, are the same in every mode.
public enum Verification: String, Sendable, CaseIterable {
    /// The authoritative format only.
    case csv
    /// Also the fixed-width TXT files: the default. The variances real releases show are between
    /// the CSV and the TXT (LOCCO area and county names that CMS spells differently in each).
    case txt
    /// Every format, the XLSX workbooks included.
    case all

    /// True when members of `format` are parsed even where another format is authoritative.
    func parses(_ format: FileFormat) -> Bool {
        switch self {
        case .csv: false
        case .txt: format == .txt
        case .all: true
        }
    }
}

/// A dataset member that was listed but not parsed (`--verify` did not ask for its format): what
/// the catalog records of it.
public struct ListedMember: Sendable {
    package let info: MemberInfo
    public let location: String
    /// The member's size and SHA-256 (lower-case hex), uncompressed.
    public let bytes: Int
    public let sha256: String

    package init(info: MemberInfo, location: String, bytes: [UInt8]) {
        self.info = info
        self.location = location
        self.bytes = bytes.count
        sha256 = SHA256.hex(bytes)
    }

    public var name: String { info.name }
    public var format: FileFormat { info.format }
}
