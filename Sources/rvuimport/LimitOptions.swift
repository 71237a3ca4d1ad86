import ArgumentParser
import RVUCore

/// The import limits as command-line options; each overrides the `rvuimport.yaml` setting of
/// the same name, which overrides the default.
struct LimitOptions: ParsableArguments {
    @Option(
        name: .customLong("max-archive-mib"), help: ArgumentHelp("The largest release archive read, in MiB (default 128).", valueName: "n"))
    var maxArchiveMiB: Int?

    @Option(
        name: .customLong("max-member-mib"),
        help: ArgumentHelp("The most a member or XLSX part may inflate to, in MiB (default 64).", valueName: "n"))
    var maxMemberMiB: Int?

    @Option(
        name: .customLong("max-total-mib"),
        help: ArgumentHelp("The most a whole release may inflate to, in MiB (default 256).", valueName: "n"))
    var maxTotalMiB: Int?

    @Option(
        name: .customLong("max-compression-ratio"),
        help: ArgumentHelp("The largest inflated:compressed ratio of a member (default 100).", valueName: "n"))
    var maxCompressionRatio: Int?

    @Option(name: .customLong("max-record-kib"), help: ArgumentHelp("The longest CSV record, in KiB (default 1024).", valueName: "n"))
    var maxRecordKiB: Int?

    @Option(
        name: .customLong("max-fields"),
        help: ArgumentHelp("The most fields in a CSV record or cells in an XLSX row (default 1000).", valueName: "n"))
    var maxFields: Int?

    @Option(
        name: .customLong("max-rows"),
        help: ArgumentHelp("The most data rows in a release, all members together (default 400000).", valueName: "n"))
    var maxRows: Int?

    private var given: [(ImportLimitSetting, Int?)] {
        [
            (.maxArchiveMiB, maxArchiveMiB), (.maxMemberMiB, maxMemberMiB), (.maxTotalMiB, maxTotalMiB),
            (.maxCompressionRatio, maxCompressionRatio), (.maxRecordKiB, maxRecordKiB), (.maxFields, maxFields),
            (.maxRows, maxRows),
        ]
    }

    func validate() throws {
        var scratch = ImportLimits()
        for case (let setting, let value?) in given where !setting.apply(value, to: &scratch) {
            throw ValidationError("--\(setting.rawValue) must be a whole number from 1 to \(ImportLimitSetting.maximumValue)")
        }
    }

    /// `base` with the options given on the command line applied.
    func applied(to base: ImportLimits) -> ImportLimits {
        var limits = base
        for case (let setting, let value?) in given { _ = setting.apply(value, to: &limits) }
        return limits
    }
}
