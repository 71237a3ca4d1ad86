import RVUCore

/// One row of the OPPSCAP file: a code's OPPS-capped prices in one locality.
struct OPPSCapRow: Sendable {
    var hcpcs: String
    var modifier: String
    /// `A` or `C`.
    var procedureStatus: String
    var mac: String
    var locality: String
    var facilityPrice: ExactDecimal
    var nonfacilityPrice: ExactDecimal
    /// Write the prices into the XLSX as 17-digit binary-double text.
    var binaryDoublesInXLSX = false
}
