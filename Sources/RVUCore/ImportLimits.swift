/// The limits an import stays within, so that a hostile or broken release is refused quickly and
/// in bounded memory instead of exhausting the machine.
///
/// The defaults are far above what CMS publishes (RVU24B: a 3.9 MB archive, the largest member
/// 3.2 MB, the largest XLSX part 18 MB, 36 MB inflated in all, compression ratios up to 15:1) and
/// keep a hostile input within about 1 GiB of memory. Each is changed with a command-line option
/// or a setting in `rvuimport.yaml` of the same name (see the README's "Hardening and limits").
public struct ImportLimits: Sendable, Equatable {
    /// The largest release archive that is read, in bytes (`--max-archive-mib`, default 128 MiB).
    public var maximumArchiveBytes = 128 << 20
    /// The most bytes one member, or one part of an XLSX member, may inflate to
    /// (`--max-member-mib`, default 64 MiB). Unpacked members read from a folder are held to it too.
    public var maximumMemberBytes = 64 << 20
    /// The most bytes all members of a release together, XLSX parts included, may inflate to
    /// (`--max-total-mib`, default 256 MiB).
    public var maximumTotalBytes = 256 << 20
    /// The largest ratio of a member's inflated to compressed bytes (`--max-compression-ratio`,
    /// default 100). Members that inflate to at most ``compressionRatioExemptBytes`` are exempt.
    public var maximumCompressionRatio = 100
    /// The longest CSV record or fixed-width line, in bytes (`--max-record-kib`, default 1 MiB).
    public var maximumRecordBytes = 1 << 20
    /// The most fields in one CSV record or cells in one XLSX row (`--max-fields`, default 1000).
    public var maximumFields = 1_000
    /// The most data rows of all members together (`--max-rows`, default 400,000; RVU24B has
    /// about 110,000, a 2026 release with its QPP files about 165,000): what bounds the memory the records take.
    public var maximumRows = 400_000

    /// Members that inflate to at most this many bytes (1 MiB) are not held to the compression
    /// ratio: small, repetitive parts such as an XLSX's styles compress well and are harmless.
    public static let compressionRatioExemptBytes = 1 << 20

    /// The defaults.
    public init() {}

    /// The most bytes a member of `compressedSize` bytes may inflate to under the ratio cap.
    package func ratioBound(compressedSize: Int) -> Int {
        let (product, overflow) = compressedSize.multipliedReportingOverflow(by: max(maximumCompressionRatio, 1))
        return overflow ? Int.max : max(product, ImportLimits.compressionRatioExemptBytes)
    }

    /// `n MiB` (or bytes below 1 MiB), for messages.
    package static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
