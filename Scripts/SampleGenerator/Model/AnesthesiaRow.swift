import RVUCore

/// One locality of the ANES file.
struct AnesthesiaRow: Sendable {
    var mac: String
    var locality: String
    /// As CMS prints it: at most 40 characters, footnote marks included (`ALASKA*`).
    var name: String
    /// Dollars, 2 decimals.
    var conversionFactor: ExactDecimal
    /// Write the factor into the XLSX as 17-digit binary-double text.
    var binaryDoubleInXLSX = false
}
