import RVUContainers
import RVUCore

/// Column specs shared by the locality datasets (GPCI, LOCCO, ANES, OPPSCAP).
enum LocalityColumns {
    /// The contractor number: `Medicare Administrative Contractor (MAC)`, CMS's typo
    /// `Medicare Adminstrative Contractor`, `Contractor`, `CARRIER`.
    static func mac(fixed: ClosedRange<Int>?) -> ColumnSpec {
        ColumnSpec(
            "MAC", aliases: ["CARRIER", "CONTRACTOR", "MAC NUMBER"],
            matches: { $0.contains("CONTRACTOR") || $0.contains("ADMINSTRATIVE") }, kind: .code(width: 5), fixed: fixed)
    }

    /// The locality number, two digits.
    static func locality(fixed: ClosedRange<Int>?) -> ColumnSpec {
        ColumnSpec("LOCALITY", aliases: ["LOCALITY NUMBER", "LOCALITY NO", "LOC"], kind: .code(width: 2), fixed: fixed)
    }

    /// True for an all-digit text (a MAC or locality number).
    static func isNumber(_ text: String) -> Bool {
        // Through `withUTF8` (a small string's own bytes): iterating `utf8` costs far more.
        var text = text
        return text.withUTF8 { bytes in !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// The MAC and locality of a data row, zeros restored and checked; nil for a footnote row
    /// (text in the first cell and no locality) or a row that failed the check.
    static func key(_ row: borrowing Row, mac macField: Int, locality localityField: Int, _ context: inout RowContext) -> (
        mac: String, locality: String
    )? {
        let mac = context.code(row, macField, restoreZeros: true)
        let locality = context.code(row, localityField, restoreZeros: true)
        if !isNumber(mac), locality.isEmpty { return nil }
        guard check(mac: mac, locality: locality, macField: macField, localityField: localityField, row: row, &context) else { return nil }
        return (mac, locality)
    }

    /// Fails the row when its contractor and locality were seen before; true when it is new.
    static func isNew(
        _ mac: String, _ locality: String, in keys: inout DuplicateFinder<String>, field: Int, row: borrowing Row,
        _ context: inout RowContext
    ) -> Bool {
        guard let previous = keys.previousRow(of: "\(mac)/\(locality)", row: row.number) else { return true }
        context.fail(row, field, .duplicateKey, "duplicate contractor and locality \(mac)/\(locality) (first at row \(previous))")
        return false
    }

    /// True for a fixed-width line that starts with a 5-digit contractor number.
    static func startsWithContractor(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.count >= 5 && line.prefix(5).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Checks a MAC and locality after zeros were restored; returns false (and records an error)
    /// when they are not numbers of the right width.
    static func check(
        mac: String, locality: String, macField: Int, localityField: Int, row: borrowing Row, _ context: inout RowContext
    ) -> Bool {
        if !(isNumber(mac) && mac.utf8.count == 5) {
            context.fail(
                row, macField, .invalidCode, "'\(context.specs[macField].name)' is \"\(mac)\"; expected a 5-digit contractor number")
        }
        if !(isNumber(locality) && locality.utf8.count == 2) {
            context.fail(
                row, localityField, .invalidCode,
                "'\(context.specs[localityField].name)' is \"\(locality)\"; expected a 2-digit locality number")
        }
        return !context.rowFailed
    }
}
