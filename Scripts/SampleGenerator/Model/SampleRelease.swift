import RVUCore

/// Everything one sample release archive holds, defined once; the renderers write each dataset
/// as CSV, fixed-width TXT and XLSX from these values.
struct SampleRelease: Sendable {
    /// One PPRRVU file of the release (2026 has two, one per conversion factor).
    struct RVUFile: Sendable {
        /// Member name without extension (`PPRRVU2026_Jan_QPP`).
        var memberName: String
        var conversionFactor: ExactDecimal
    }

    /// `RVU25D`.
    var id: String
    /// The fee schedule year (`2025`), used in titles and labels.
    var year: Int
    /// The release's month as CMS writes it in the PPRRVU title (`October`).
    var monthName: String
    /// `MM/DD/YYYY`, the PPRRVU file's `RELEASED` line.
    var releasedOn: String
    /// Years in the AMA and ADA copyright lines of the PPRRVU CSV and TXT.
    var amaCopyrightYear: String
    var adaCopyrightYears: String

    var rvuFiles: [RVUFile]
    /// Whether the PPRRVU files carry the 2026 PRICING INDICATOR column.
    var hasPricingIndicator: Bool
    var rvuRows: [RVURow]

    var gpciMemberName: String
    var gpciRows: [GPCIRow]
    /// The footnote block under the GPCI table, one line each ("" for a blank line).
    var gpciFootnotes: [String]

    var loccoMemberName: String
    var countyGroups: [CountyGroup]

    var anesMemberName: String
    /// The national anesthesia conversion factor named in the CSV header.
    var nationalAnesthesiaConversionFactor: ExactDecimal
    var anesthesiaRows: [AnesthesiaRow]

    var oppscapMemberName: String
    var oppsCapRows: [OPPSCapRow]
}
