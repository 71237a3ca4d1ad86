import RVUCore
import Testing

@testable import RVUContainers
@testable import RVUImport

/// ``XLSXSheetParser``: the rows it makes of worksheet markup, the same wherever the part is cut
/// into chunks, and the errors of a damaged sheet with their location.
@Suite struct XLSXSheetParserTests {
    static let strings = ["HCPCS", "Rich text", "_x001A_", "a & b"]

    /// What ``XLSXSheetParser`` makes of `bytes` fed in pieces ending at `pieces`: a line per row
    /// (`12: a|#1.5|-`, `#` for a number, `-` for a missing cell, `?` for other values), and the
    /// error that stopped it, if any.
    static func read(_ bytes: [UInt8], pieces: [Int]) -> [String] {
        var text: [UInt8] = []
        var ends: [Int] = []
        for string in strings {
            text += Array(string.utf8)
            ends.append(text.count)
        }
        var lines: [String] = []
        text.withUnsafeBufferPointer { strings in
            ends.withUnsafeBufferPointer { stringEnds in
                let parser = XLSXSheetParser(
                    location: SourceLocation(file: "t.xlsx", sheet: "Data"), part: "xl/worksheets/sheet1.xml",
                    strings: strings, stringEnds: stringEnds
                ) { row in
                    let cells = (0..<row.count).map { column in
                        let mark: String
                        switch row.kind(column) {
                        case .missing: mark = "-"
                        case .number: mark = "#"
                        case .other: mark = "?"
                        case .text: mark = ""
                        }
                        return mark + row.string(column)
                    }
                    lines.append("\(row.number): " + cells.joined(separator: "|"))
                }
                do {
                    try parser.parse { feed in
                        var offset = 0
                        for end in pieces + [bytes.count] where end >= offset {
                            let stop = min(end, bytes.count)
                            try bytes[offset..<stop].withUnsafeBytes { try feed($0) }
                            offset = stop
                        }
                    }
                } catch {
                    lines.append("error: \(error)")
                }
            }
        }
        return lines
    }

    /// The rows (or error) of `document`, after checking that they are the same when it is split
    /// in two anywhere and in the usual chunk sizes.
    @discardableResult
    func rows(_ document: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        let bytes = Array(document.utf8)
        let reference = Self.read(bytes, pieces: [])
        for split in 0...bytes.count {
            #expect(Self.read(bytes, pieces: [split]) == reference, "split at \(split)", sourceLocation: sourceLocation)
        }
        for chunk in XMLPushParserTests.chunks where chunk < bytes.count {
            let pieces = Array(stride(from: chunk, to: bytes.count, by: chunk))
            #expect(Self.read(bytes, pieces: pieces) == reference, "chunks of \(chunk)", sourceLocation: sourceLocation)
        }
        return reference
    }

    static func sheet(_ rows: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"urn:main\" xmlns:x14ac=\"urn:ac\"><sheetData>"
            + rows
            + "</sheetData></worksheet>"
    }

    static func malformed(_ line: Int, _ message: String, column: Int) -> String {
        "error: " + XMLPushParserTests.malformed(line, message, column: column)
    }

    // MARK: Cells

    @Test func theShapesOfAWorksheet() {
        let document = Self.sheet(
            "<row r=\"11\" spans=\"1:31\" x14ac:dyDescent=\"0.25\"><c r=\"A11\" s=\"2\" t=\"s\"><v>0</v></c>"
                + "<c r=\"C11\" t=\"s\"><v>3</v></c><c r=\"D11\" s=\"4\"><v>0.86899999999999999</v></c>"
                + "<c r=\"E11\" s=\"4\"/><c r=\"F11\"></c><c r=\"G11\" t=\"n\"><v>8.6E-2</v></c>"
                + "<c r=\"H11\" t=\"b\"><v>1</v></c><c r=\"I11\" t=\"e\"><v>#N/A</v></c>"
                + "<c r=\"J11\" t=\"str\"><v>x_x0041_y</v></c><c r=\"K11\" t=\"d\"><v>2024-01-02</v></c>"
                + "<c r=\"AB11\"><v></v></c><c r=\"AC11\" t=\"str\"><v></v></c><c s=\"1\"><v>7</v></c></row>"
                + "<row r=\"12\"><c t='s' s='3' r='B12'><v>1</v></c><c  r=\"C12\"  s=\"1\"  ><v>12</v></c>"
                + "<c r='D12' s='a\"b>c'/><c r=\"E12\" /><c/><c><v>9</v></c><c r=\"xfd12\"><v>1</v></c>"
                + "<c r=\"XFD12\"><v>2</v></c></row><row><c r=\"A13\"><v>5</v></c><c r=\"A13\"><v>6</v></c></row>")
        let rows = rows(document)
        #expect(rows.count == 3)
        #expect(
            rows.first
                == "11: HCPCS|-|a & b|#0.86899999999999999|-|-|#8.6E-2|?1|?#N/A|xAy|?2024-01-02|"
                + Array(repeating: "-", count: 16).joined(separator: "|") + "|#||#7")
        #expect(rows.last == "13: #6")
    }

    @Test func inlineStringsReferencesBracketsCommentsAndNamespaces() {
        let document = Self.sheet(
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>in &amp; line</t><rPh><t>x</t></rPh></is></c>"
                + "<c r=\"B1\" t=\"str\"><f>A1</f><v>caf\u{E9}</v></c><c r=\"C1\"><v>1&#46;5</v></c>"
                + "<c r=\"D1\" t=\"str\"><v><![CDATA[a<b]]></v></c><c r=\"E1\" cm=\"1\"><v>2</v></c>"
                + "<c r=\"F1\"\ts=\"1\"><v>3</v></c><c r=\"G1\"\n><v>4</v></c><c r = \"H1\"><v>5</v></c>"
                + "<c r=\"I1\"><v>6</v ></c><c r=\"J1\"><v>7</v></c ><c r=\"K1\"><v/></c><c r=\"L1\"> <v>8</v></c>"
                + "<c r=\"M1\"><v>9</v> </c><c r=\"N1\" t=\"str\"><v>a]b</v></c><c r=\"O1\" t=\"str\"><v>a\nb</v></c>"
                + "<c r=\"P1\" t=\"str\"><v>a\r\nb</v></c><c r=\"Q1\" s=\"&#49;\"><v>10</v></c><c r=\"R1\" s=\"a\tb\"/>"
                + "<c r=\"S1\" xmlns:x=\"urn:x\" x:s=\"1\"><v>11</v></c><x:c xmlns:x=\"urn:main\" r=\"T1\"><x:v>12</x:v></x:c>"
                + "<c r=\"U1\"><v>13</v><!-- note --></c><c r=\"V1\"><?pi?><v>14</v></c><c r=\"W1\"><v>1<!---->5</v></c>"
                + "<cc r=\"X1\"><v>16</v></cc><c r=\"Y1\" t=\"s\"><v> 2 </v></c><c r=\"Z1\" t=\"\u{E9}\"><v>17</v></c>"
                + "</row><c r=\"A2\"><v>18</v></c><row r=\"3\"><c r=\"A3\" t=\"str\"><v>x<c r=\"B3\"><v>19</v></c></v></c>"
                + "</row><row r=\"4\"><c r=\"A4\" t=\"str\"><v>x<c r=\"C4\"/>y</v></c></row>")
        #expect(
            rows(document) == [
                "1: in & line|caf\u{E9}|#1.5|a<b|#2|#3|#4|#5|#6|#7|#|#8|#9|a]b|a\nb|a\nb|#10|-|#11|#12|#13|#14|#15|-"
                    + "|_x001A_|?17",
                "3: |#19", "4: ",
            ])
    }

    // MARK: Errors

    @Test func cellsTheWorkbookGetsWrong() {
        #expect(
            rows(Self.sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"1A\"><v>2</v></c></row>")) == [
                "error: t.xlsx[Data]:1: error: cell reference '1A' in xl/worksheets/sheet1.xml is not a column and row "
                    + "like 'B12' (columns A to XFD); the workbook is damaged"
            ])
        #expect(
            rows(Self.sheet("<row r=\"4\"><c r=\"XFE4\"/></row>")).first?.contains("cell reference 'XFE4'") == true)
        #expect(
            rows(Self.sheet("<row r=\"5\"><c r=\"B5\" t=\"s\"><v>4</v></c></row>")) == [
                "error: t.xlsx[Data]:5:2: error: cell B5 refers to shared string 4, but the workbook has 4 (numbered from 0); "
                    + "the workbook is damaged"
            ])
        #expect(
            rows(Self.sheet("<row r=\"6\"><c r=\"C6\" t=\"s\"><v>x</v></c></row>")) == [
                "error: t.xlsx[Data]:6:3: error: cell C6 is a shared string but does not hold a string number; "
                    + "the workbook is damaged"
            ])
        #expect(rows(Self.sheet("<row r=\"7\"><c r=\"D7\" t=\"s\"><v></v></c></row>")).first?.contains("cell D7 is a shared") == true)
        #expect(
            rows(Self.sheet("<row r=\"8\"><c t=\"s\"><v>12345678901</v></c></row>")).first?.contains("cell A8 is a shared")
                == true)
        #expect(
            rows(Self.sheet("<row r=\"0\"><c r=\"A1\"><v>1</v></c></row>")).first?.contains("row number '0'") == true)
    }

    @Test func malformedMarkupAroundCells() {
        #expect(
            rows(Self.sheet("<row r=\"1\"><c r=\"A1\" r=\"B1\"><v>1</v></c></row>"))
                == [Self.malformed(2, "attribute r redefined", column: 88)])
        #expect(
            rows(Self.sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></row>"))
                == [Self.malformed(2, "opening and ending tag mismatch: c line 2 and row", column: 96)])
        #expect(
            rows(Self.sheet("<row r=\"1\"><c r=\"A1\"><v>1&x;</v></c></row>")).first?.contains("entity 'x' not defined") == true)
        // Lines in a value are counted, for the error after it.
        #expect(
            rows(Self.sheet("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\nb</v></c><c r=\"B1\"><v>1</v></c></rw>"))
                == [Self.malformed(3, "opening and ending tag mismatch: row line 2 and rw", column: 37)])
        #expect(
            rows("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c>")
                == [Self.malformed(1, "the document ends inside <row>, which is not closed", column: 56)])
    }
}
