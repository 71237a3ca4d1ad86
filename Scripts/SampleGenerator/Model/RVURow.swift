import RVUCore

/// One record of a PPRRVU file, with the values as CMS publishes them (RVUs at 2 decimals,
/// codes and indicators as text). The totals are computed, so that they always equal
/// work + PE + MP.
struct RVURow: Sendable {
    var hcpcs: String
    var modifier: String = ""
    var description: String
    var status: String
    /// The `+` of NOT USED FOR MEDICARE PAYMENT.
    var notUsedForPayment = false
    var work = RVURow.zero
    var nonfacilityPE = RVURow.zero
    /// `NA` beside the non-facility PE (the value is still published).
    var nonfacilityNA = false
    var facilityPE = RVURow.zero
    var facilityNA = false
    var mp = RVURow.zero
    var pctc = "9"
    var globalDays = "XXX"
    var preOp = RVURow.zero
    var intraOp = RVURow.zero
    var postOp = RVURow.zero
    /// MULT PROC, BILAT SURG, ASST SURG, CO-SURG and TEAM SURG, one character each, in the
    /// order of the TXT positions 116-120 (`20100`).
    var surgery = "99999"
    /// 2026 only: `1` (the qualifying-APM pricing applies) or `9`.
    var pricingIndicator = ""
    var endoBase = ""
    var supervision = "09"
    var calculationFlag = "0"
    var imagingFamily = "99"
    var oppsNonfacilityPE = RVURow.zero
    var oppsFacilityPE = RVURow.zero
    var oppsMP = RVURow.zero
    /// Write this row's decimals into the XLSX as 17-digit binary-double text, as Excel does
    /// for some cells (`0.56000000000000005`).
    var binaryDoublesInXLSX = false

    /// `0.00`.
    static let zero = ExactDecimal(units: 0, scale: 2)

    /// work + non-facility PE + MP.
    var nonfacilityTotal: ExactDecimal { work + nonfacilityPE + mp }
    /// work + facility PE + MP.
    var facilityTotal: ExactDecimal { work + facilityPE + mp }

    /// True when any RVU is published for the row.
    var hasRVUs: Bool { nonfacilityTotal != RVURow.zero || facilityTotal != RVURow.zero }

    /// The row's key within a file.
    var key: String { hcpcs + (modifier.isEmpty ? "" : "-" + modifier) }
}
