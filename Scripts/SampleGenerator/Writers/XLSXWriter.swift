import Foundation

/// Writes a one-sheet Office Open XML workbook the way CMS's files store their cells: text as
/// shared strings, numbers as `<v>` text exactly as given (`0.5`, `33.287500000000001`), empty
/// cells omitted so that values are placed by their `r` reference, control characters escaped
/// as `_xHHHH_` (the end-of-file byte becomes `_x001A_`).
///
/// The package holds `[Content_Types].xml`, `_rels/.rels`, `xl/workbook.xml`,
/// `xl/_rels/workbook.xml.rels`, `xl/worksheets/sheet1.xml`, `xl/sharedStrings.xml` and a
/// minimal `xl/styles.xml`.
struct XLSXWriter {
    /// A cell's value.
    enum Cell: Sendable {
        /// Text, stored as a shared string.
        case text(String)
        /// A number, written as this exact `<v>` text.
        case number(String)
    }

    /// The sheet's name (at most 31 characters, as Excel requires).
    let sheetName: String
    private var rows: [(number: Int, cells: [(column: Int, cell: Cell)])] = []

    init(sheetName: String) {
        precondition(!sheetName.isEmpty && sheetName.count <= 31, "invalid sheet name \(sheetName)")
        self.sheetName = sheetName
    }

    /// Sets row `number` (1-based); `cells[i]` goes to column i (0 = A), nil cells are omitted.
    /// Rows must be added in increasing order; a row without cells is not written at all.
    mutating func setRow(_ number: Int, _ cells: [Cell?]) {
        precondition(rows.last.map { $0.number < number } ?? (number >= 1), "rows must be added in increasing order")
        let placed = cells.enumerated().compactMap { column, cell in cell.map { (column: column, cell: $0) } }
        guard !placed.isEmpty else { return }
        rows.append((number, placed))
    }

    /// The workbook as a zip package.
    func data() throws -> Data {
        try ZIPWriter.archive(parts())
    }

    /// The package parts, in the order they are zipped.
    func parts() -> [ArchiveMember] {
        var sharedStrings: [String] = []
        var stringIndex: [String: Int] = [:]
        var stringCellCount = 0
        var sheetRows = ""
        var lastColumn = 0
        var lastRow = 1
        for row in rows {
            sheetRows += "<row r=\"\(row.number)\">"
            for (column, cell) in row.cells {
                let reference = XLSXWriter.columnName(column) + String(row.number)
                switch cell {
                case .text(let text):
                    let index: Int
                    if let existing = stringIndex[text] {
                        index = existing
                    } else {
                        index = sharedStrings.count
                        stringIndex[text] = index
                        sharedStrings.append(text)
                    }
                    stringCellCount += 1
                    sheetRows += "<c r=\"\(reference)\" t=\"s\"><v>\(index)</v></c>"
                case .number(let text):
                    precondition(Double(text) != nil, "not a number: \(text)")
                    sheetRows += "<c r=\"\(reference)\"><v>\(text)</v></c>"
                }
                lastColumn = max(lastColumn, column)
            }
            sheetRows += "</row>"
            lastRow = row.number
        }
        let dimension = "A1:" + XLSXWriter.columnName(lastColumn) + String(lastRow)
        let sheet =
            XLSXWriter.declaration
            + "<worksheet xmlns=\"\(XLSXWriter.mainNamespace)\" xmlns:r=\"\(XLSXWriter.relationshipNamespace)\">"
            + "<dimension ref=\"\(dimension)\"/><sheetData>\(sheetRows)</sheetData>"
            + "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
            + "</worksheet>"
        let strings =
            XLSXWriter.declaration
            + "<sst xmlns=\"\(XLSXWriter.mainNamespace)\" count=\"\(stringCellCount)\" uniqueCount=\"\(sharedStrings.count)\">"
            + sharedStrings.map(XLSXWriter.sharedStringItem).joined() + "</sst>"
        return [
            part("[Content_Types].xml", XLSXWriter.contentTypes),
            part("_rels/.rels", XLSXWriter.packageRelationships),
            part("xl/workbook.xml", workbook),
            part("xl/_rels/workbook.xml.rels", XLSXWriter.workbookRelationships),
            part("xl/worksheets/sheet1.xml", sheet),
            part("xl/sharedStrings.xml", strings),
            part("xl/styles.xml", XLSXWriter.styles),
        ]
    }

    // MARK: Parts

    private var workbook: String {
        XLSXWriter.declaration
            + "<workbook xmlns=\"\(XLSXWriter.mainNamespace)\" xmlns:r=\"\(XLSXWriter.relationshipNamespace)\">"
            + "<sheets><sheet name=\"\(XLSXWriter.escaped(sheetName, inAttribute: true))\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
            + "</workbook>"
    }

    private func part(_ name: String, _ xml: String) -> ArchiveMember {
        ArchiveMember(name: name, data: Data(xml.utf8))
    }

    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    private static let contentTypes =
        declaration
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        + "</Types>"

    private static let packageRelationships =
        declaration
        + "<Relationships xmlns=\"\(packageRelationshipNamespace)\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    private static let workbookRelationships =
        declaration
        + "<Relationships xmlns=\"\(packageRelationshipNamespace)\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        + "</Relationships>"

    private static let styles =
        declaration
        + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    // MARK: Text

    /// `A`, `B`, ..., `Z`, `AA`, ... for a 0-based column index.
    static func columnName(_ column: Int) -> String {
        var index = column + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// A shared string item; leading or trailing spaces are kept with `xml:space="preserve"`.
    private static func sharedStringItem(_ text: String) -> String {
        let preserve = text.first == " " || text.last == " "
        return (preserve ? "<si><t xml:space=\"preserve\">" : "<si><t>") + escaped(text) + "</t></si>"
    }

    /// XML escaping plus OOXML's `_xHHHH_` form for control characters. Quotes are escaped only
    /// in attribute values; text nodes keep them as Excel writes them.
    static func escaped(_ text: String, inAttribute: Bool = false) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where inAttribute: result += "&quot;"
            default:
                if scalar.value < 0x20, scalar != "\t", scalar != "\n", scalar != "\r" {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
