/// One state's group of rows in the LOCCO file; CMS prints the state only on the group's first
/// row and separates groups with empty rows.
struct CountyGroup: Sendable {
    /// One locality's row. Text is kept as CMS prints it in the CSV, trailing spaces included.
    struct Row: Sendable {
        var mac: String
        var locality: String
        var feeScheduleArea: String
        var counties: String
        /// Write MAC and locality into the XLSX as numbers.
        var numericCodesInXLSX = false
    }

    /// As printed on the first row (`ALABAMA `, `CALIFORNIA`).
    var state: String
    var rows: [Row]
}
