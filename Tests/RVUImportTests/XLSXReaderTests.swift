import Foundation
import RVUCore
import Testing
import ZIPFoundation

@testable import RVUContainers
@testable import RVUImport

/// Builds small XLSX workbooks in memory.
enum WorkbookBuilder {
    static func xlsx(sheet: String, sharedStrings: String? = nil) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        var parts: [(String, String)] = [
            (
                "xl/workbook.xml",
                #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](try #require(archive.data))
    }

    static func rows(_ bytes: [UInt8]) throws -> [[String]] {
        let workbook = try XLSXWorkbook(bytes: bytes, location: "t.xlsx")
        var rows: [[String]] = []
        try workbook.readRows { row in
            rows.append((0..<row.count).map { "\(row.kind($0) == .number ? "#" : row.kind($0) == .missing ? "-" : "")\(row.string($0))" })
        }
        return rows
    }
}

@Suite struct XLSXReaderTests {
    let shared =
        #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>HCPCS</t></si><si><r><t>Rich </t></r><r><t>text</t></r><rPh><t>ignored</t></rPh></si><si><t>_x001A_</t></si><si><t>a &amp; b</t></si></sst>"#

    @Test func cellsArePlacedByReference() throws {
        let sheet =
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row><row r="3"><c r="B3"><v>0.86899999999999999</v></c><c r="D3" t="inlineStr"><is><t>inline</t></is></c><c r="E3" t="s"><v>3</v></c></row><row r="4"><c r="A4" t="s"><v>2</v></c></row></sheetData></worksheet>"#
        let rows = try WorkbookBuilder.rows(try WorkbookBuilder.xlsx(sheet: sheet, sharedStrings: shared))
        #expect(rows == [["HCPCS", "-", "Rich text"], ["-", "#0.86899999999999999", "-", "inline", "a & b"], ["\u{1A}"]])
    }

    @Test func aDoctypeIsRefusedAndEntitiesNeverExpanded() throws {
        let sheet =
            #"<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>"#
        #expect {
            try WorkbookBuilder.rows(try WorkbookBuilder.xlsx(sheet: sheet))
        } throws: { error in
            (error as? DiagnosticError)?.diagnostic.code == .xlsxDoctype
        }
    }

    @Test func malformedXMLNamesTheSheetAndLine() throws {
        let sheet = "<worksheet><sheetData>\n<row r=\"1\"><c r=\"A1\"><v>1</v></row></sheetData></worksheet>"
        #expect {
            try WorkbookBuilder.rows(try WorkbookBuilder.xlsx(sheet: sheet))
        } throws: { error in
            let text = (error as? DiagnosticError)?.description ?? ""
            return text.hasPrefix("t.xlsx[Data]:2: error: malformed XML:")
        }
    }

    @Test func aZipThatIsNotAWorkbook() throws {
        let archive = try Archive(accessMode: .create)
        let data = Data("hello".utf8)
        try archive.addEntry(with: "hello.txt", type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        #expect {
            try XLSXWorkbook(bytes: [UInt8](try #require(archive.data)), location: "t.xlsx")
        } throws: { error in
            (error as? DiagnosticError)?.description == "t.xlsx: error: the workbook has no xl/workbook.xml; is this an XLSX file?"
        }
    }

    @Test func aDamagedMemberFailsItsCRC() throws {
        var bytes = try WorkbookBuilder.xlsx(sheet: "<worksheet><sheetData></sheetData></worksheet>")
        // Stored entries keep their text: flip a byte of the first member's data after its local header.
        let archive = try Archive(accessMode: .create)
        let data = Data("some member text".utf8)
        try archive.addEntry(with: "m.csv", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        bytes = [UInt8](try #require(archive.data))
        let offset = try #require(bytes.indices.first { bytes[$0...].starts(with: Array("some".utf8)) })
        bytes[offset] ^= 0x20
        let zip = try ZipArchive(bytes: bytes, name: "t.zip")
        #expect {
            try zip.contents(of: try #require(zip.entries.first))
        } throws: { error in
            (error as? DiagnosticError)?.diagnostic.code == .crcMismatch
        }
    }
}
