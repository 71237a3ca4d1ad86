/// The settings that change an ``ImportLimits`` value: each is a command-line option
/// (`--max-member-mib 128`) and an `rvuimport.yaml` key of the same name (`max-member-mib: 128`).
public enum ImportLimitSetting: String, CaseIterable, Sendable {
    /// ``ImportLimits/maximumArchiveBytes``, in MiB.
    case maxArchiveMiB = "max-archive-mib"
    /// ``ImportLimits/maximumMemberBytes``, in MiB.
    case maxMemberMiB = "max-member-mib"
    /// ``ImportLimits/maximumTotalBytes``, in MiB.
    case maxTotalMiB = "max-total-mib"
    /// ``ImportLimits/maximumCompressionRatio``.
    case maxCompressionRatio = "max-compression-ratio"
    /// ``ImportLimits/maximumRecordBytes``, in KiB.
    case maxRecordKiB = "max-record-kib"
    /// ``ImportLimits/maximumFields``.
    case maxFields = "max-fields"
    /// ``ImportLimits/maximumRows``.
    case maxRows = "max-rows"

    /// The largest value accepted (keeps the byte counts far from overflowing).
    public static let maximumValue = 1 << 30

    /// The value in force in `limits`, in this setting's unit.
    public func value(in limits: ImportLimits) -> Int {
        switch self {
        case .maxArchiveMiB: limits.maximumArchiveBytes >> 20
        case .maxMemberMiB: limits.maximumMemberBytes >> 20
        case .maxTotalMiB: limits.maximumTotalBytes >> 20
        case .maxCompressionRatio: limits.maximumCompressionRatio
        case .maxRecordKiB: limits.maximumRecordBytes >> 10
        case .maxFields: limits.maximumFields
        case .maxRows: limits.maximumRows
        }
    }

    /// Sets the limit to `value` (in this setting's unit); false when the value is not a whole
    /// number from 1 to ``maximumValue``.
    public func apply(_ value: Int, to limits: inout ImportLimits) -> Bool {
        guard (1...ImportLimitSetting.maximumValue).contains(value) else { return false }
        switch self {
        case .maxArchiveMiB: limits.maximumArchiveBytes = value << 20
        case .maxMemberMiB: limits.maximumMemberBytes = value << 20
        case .maxTotalMiB: limits.maximumTotalBytes = value << 20
        case .maxCompressionRatio: limits.maximumCompressionRatio = value
        case .maxRecordKiB: limits.maximumRecordBytes = value << 10
        case .maxFields: limits.maximumFields = value
        case .maxRows: limits.maximumRows = value
        }
        return true
    }
}
