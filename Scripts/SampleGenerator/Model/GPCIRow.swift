import RVUCore

/// One locality of the GPCI file (Addendum E).
struct GPCIRow: Sendable {
    var mac: String
    var state: String
    var locality: String
    /// As printed, footnote marks included (`ALASKA*`, `MONTANA**`).
    var name: String
    /// The work GPCI with the 1.0 floor.
    var work: ExactDecimal
    /// 2026 only: the work GPCI without the floor.
    var workWithoutFloor: ExactDecimal?
    var pe: ExactDecimal
    var mp: ExactDecimal
    /// Write MAC and locality into the XLSX as numbers (`1182`, `18`), as CMS does in some rows.
    var numericCodesInXLSX = false
    /// Write the GPCIs into the XLSX as 17-digit binary-double text.
    var binaryDoublesInXLSX = false

    /// `mac/locality`.
    var key: String { "\(mac)/\(locality)" }
}
