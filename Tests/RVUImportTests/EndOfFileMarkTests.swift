import RVUCore
import Testing

@testable import RVUImport

/// The DOS end-of-file mark (0x1A) ends a member where CMS puts it; rows after it are an error.
@Suite struct EndOfFileMarkTests {
    static let anesCSV = "Contractor,Locality,Locality Name,Anesthesia CF\r\n10112,00,ALABAMA,19.31\r\n"
    static let anesTXT = "10112       00    ALABAMA                                                1931\r\n"

    func fixedWidthRows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        let layout = FixedWidthLayout(fields: [.init("A", 1...5)], minimumLength: 1)
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            try FixedWidthReader(bytes: buffer, location: SourceLocation(file: "t.txt"), layout: layout).forEachRecord(
                isRecord: { _ in true }
            ) { row in rows.append(row.strings) }
        }
        return rows
    }

    func expectError(_ expectedLocation: String, sameLine: Bool = false, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected data-after-end-of-file at \(expectedLocation)")
        } catch let error as DiagnosticError {
            #expect(error.diagnostic.code == .dataAfterEndOfFile)
            #expect(error.diagnostic.location?.description == expectedLocation, "\(error)")
            #expect(error.diagnostic.message.contains(sameLine ? "on the same" : "on line"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// What real CMS TXT members end with: a lone 0x1A, with or without blank lines after it.
    @Test func aTrailingMarkEndsAFixedWidthMember() throws {
        #expect(try fixedWidthRows("ABCDE\r\n\u{1A}") == [["ABCDE"]])
        #expect(try fixedWidthRows("ABCDE\r\n\u{1A}\r\n  \r\n\n") == [["ABCDE"]])
        #expect(try fixedWidthRows("ABCDE\n\u{1A}  \t") == [["ABCDE"]])
    }

    @Test func dataAfterTheMarkInAFixedWidthMemberNamesItsLine() {
        expectError("t.txt:3:1") { _ = try fixedWidthRows("ABCDE\r\n\u{1A}\r\nFGHIJ\r\n") }
        expectError("t.txt:4:3") { _ = try fixedWidthRows("ABCDE\r\n\u{1A}\r\n\r\n  FGHIJ") }
        expectError("t.txt:2:2", sameLine: true) { _ = try fixedWidthRows("ABCDE\r\n\u{1A}FGHIJ\r\n") }
    }

    /// Through the dataset readers, as the import reads members: CSV and TXT.
    @Test func aMemberWithRowsAfterTheMarkIsRefused() throws {
        let csv = try Fixtures.parse(Self.anesCSV + "\u{1A},,,\r\n", name: "ANES2024.csv")
        #expect(csv.rowCount == 1 && csv.diagnostics.isEmpty)
        let txt = try Fixtures.parse(Self.anesTXT + "\u{1A}", name: "ANES2024.txt")
        #expect(txt.rowCount == 1 && txt.diagnostics.isEmpty)

        expectError("T.zip/ANES2024.csv:4:1") {
            _ = try Fixtures.parse(Self.anesCSV + "\u{1A},,,\r\n02102,01,ALASKA*,28.54\r\n", name: "ANES2024.csv")
        }
        expectError("T.zip/ANES2024.txt:3:1") {
            _ = try Fixtures.parse(Self.anesTXT + "\u{1A}\r\n" + Self.anesTXT, name: "ANES2024.txt")
        }
    }

    /// An XLSX sheet writes the mark as `_x001A_`: the same rule.
    @Test func anXLSXSheetWithRowsAfterTheMarkIsRefused() throws {
        func cell(_ reference: String, _ text: String) -> String {
            #"<c r="\#(reference)" t="inlineStr"><is><t>\#(text)</t></is></c>"#
        }
        func sheet(_ rows: [[String]]) -> String {
            let body = rows.enumerated().map { index, cells in
                let columns = ["A", "B", "C", "D"]
                return #"<row r="\#(index + 1)">"#
                    + cells.enumerated().map { cell("\(columns[$0.offset])\(index + 1)", $0.element) }.joined() + "</row>"
            }
            return #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
                + body.joined() + "</sheetData></worksheet>"
        }
        let header = ["Contractor", "Locality", "Locality Name", "Anesthesia CF"]
        let info = try #require(MemberInfo(name: "ANES2024.xlsx"))
        let accepted = try WorkbookBuilder.xlsx(sheet: sheet([header, ["10112", "00", "ALABAMA", "19.31"], ["_x001A_"]]))
        let member = try MemberParser.parse(info, bytes: accepted, location: "T.zip/ANES2024.xlsx")
        #expect(member.rowCount == 1 && member.diagnostics.isEmpty, "\(member.diagnostics)")

        let refused = try WorkbookBuilder.xlsx(
            sheet: sheet([header, ["10112", "00", "ALABAMA", "19.31"], ["_x001A_"], ["02102", "01", "ALASKA", "28.54"]]))
        do {
            _ = try MemberParser.parse(info, bytes: refused, location: "T.zip/ANES2024.xlsx")
            Issue.record("expected data-after-end-of-file")
        } catch {
            #expect(error.diagnostic.code == .dataAfterEndOfFile)
            #expect(error.diagnostic.location?.line == 4)
            #expect(error.diagnostic.message.contains("on row 3"), "\(error)")
        }
    }
}
