/// Where in the input a diagnostic points: a file (an archive member is `archive.zip/member`),
/// optionally a sheet, a 1-based line or row, and a 1-based column.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file, or `archive.zip/member.csv` for an archive member.
    public var file: String
    /// The worksheet name for an XLSX member.
    public var sheet: String?
    /// The 1-based line (CSV, TXT) or row (XLSX).
    public var line: Int?
    /// The 1-based column (CSV field, TXT character position, XLSX column number).
    public var column: Int?

    public init(file: String, sheet: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.sheet = sheet
        self.line = line
        self.column = column
    }

    /// The same file and sheet at another line and column.
    public func at(line: Int?, column: Int? = nil) -> SourceLocation {
        SourceLocation(file: file, sheet: sheet, line: line, column: column)
    }

    /// `file[sheet]:line:column`, leaving out what is unknown; control characters in names are
    /// escaped (see ``escaped(_:)``).
    public var description: String {
        var text = SourceLocation.escaped(file)
        if let sheet { text += "[\(SourceLocation.escaped(sheet))]" }
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}
