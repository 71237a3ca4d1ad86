import Foundation
import RVUCore
import Testing
import ZIPFoundation

@testable import RVUContainers
@testable import RVUImport

/// Zip archives and XLSX workbooks built in memory, plus the real RVU24B archive when
/// `RVU_SHARED_CMS` names the folder that holds it.
@Suite struct ArchiveAndXLSXTests {
    // MARK: Building inputs

    /// A zip made by ZIPFoundation: members in order, each stored or deflated.
    static func zip(_ members: [(name: String, bytes: [UInt8], deflate: Bool)], directories: [String] = []) throws
        -> [UInt8]
    {
        let archive = try Archive(accessMode: .create)
        for directory in directories {
            try archive.addEntry(with: directory, type: .directory, uncompressedSize: Int64(0)) { (_: Int64, _: Int) in Data() }
        }
        for member in members {
            try archive.addEntry(
                with: member.name, type: .file, uncompressedSize: Int64(member.bytes.count),
                compressionMethod: member.deflate ? .deflate : .none
            ) { position, size in Data(member.bytes[Int(position)..<Int(position) + size]) }
        }
        return [UInt8](try #require(archive.data))
    }

    /// The offset of the first central-directory entry (signature `PK\1\2`).
    static func centralDirectory(_ bytes: [UInt8]) throws -> Int {
        try #require((0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) })
    }

    /// The diagnostic `body` throws, or nil.
    static func diagnostic(_ body: () throws -> Void) -> Diagnostic? {
        do {
            try body()
            return nil
        } catch let error as DiagnosticError {
            return error.diagnostic
        } catch {
            return Diagnostic.error(.internalError, "\(error)", at: nil)
        }
    }

    static let storedText = Array("hello, stored member\n".utf8)
    static let longText = Array(
        (0..<5_000).map { "99213,,Office visit est pt \($0),A,,1.30,1.35,,0.57\r\n" }.joined().utf8)

    // MARK: Zip

    @Test func storedAndDeflatedMembersRoundTrip() throws {
        let bytes = try Self.zip(
            [(name: "a.txt", bytes: Self.storedText, deflate: false), (name: "folder/b.csv", bytes: Self.longText, deflate: true)],
            directories: ["folder/"])
        let archive = try ZipArchive(bytes: bytes, name: "T.zip")
        #expect(archive.entries.map(\.name) == ["folder/", "a.txt", "folder/b.csv"])
        #expect(archive.entries.map(\.isDirectory) == [true, false, false])
        #expect(archive.entries.map(\.method) == [0, 0, 8])
        let stored = archive.entries[1]
        let deflated = archive.entries[2]
        #expect(stored.crc32 == 0xD070_6C33)
        #expect(deflated.compressedSize < deflated.uncompressedSize)
        #expect(try archive.contents(of: stored) == Self.storedText)
        #expect(try archive.contents(of: deflated) == Self.longText)
        #expect(try archive.contents(of: archive.entries[0]) == [])

        for entry in [stored, deflated] {
            var streamed: [UInt8] = []
            var largest = 0
            try archive.stream(entry, chunkSize: 1_000) { chunk in
                streamed += chunk
                largest = max(largest, chunk.count)
            }
            #expect(streamed == (entry == stored ? Self.storedText : Self.longText))
            #expect(largest <= 1_000)
        }
    }

    @Test func aChangedByteIsACRCMismatch() throws {
        var bytes = try Self.zip([(name: "a.txt", bytes: Self.storedText, deflate: false)])
        let start = try #require((0..<bytes.count).first { bytes[$0...].starts(with: Self.storedText) })
        bytes[start] ^= 0x20  // "hello" -> "Hello"
        let archive = try ZipArchive(bytes: bytes, name: "T.zip")
        let expected = Diagnostic.error(
            .crcMismatch,
            "the member's content does not match its checksum (CRC-32 47b849eb, the archive says d0706c33); "
                + "the archive is damaged, download it again",
            at: RVUCore.SourceLocation(file: "T.zip/a.txt"))
        #expect(Self.diagnostic { _ = try archive.contents(of: archive.entries[0]) } == expected)
        #expect(Self.diagnostic { try archive.stream(archive.entries[0]) { _ in } } == expected)
    }

    @Test func anHTMLPageIsNotAZip() {
        let page = Array("<!DOCTYPE html>\n<html><head><title>Page not found</title></head></html>\n".utf8)
        #expect(
            Self.diagnostic { _ = try ZipArchive(bytes: page, name: "RVU24B.zip") }
                == .error(
                    .notAZip,
                    "this is an HTML page, not a zip archive: it starts with '<!DOCTYPE html> <html><head><t'; the download got a web "
                        + "page (an error or sign-in page) instead of the release, download it again",
                    at: RVUCore.SourceLocation(file: "RVU24B.zip")))
        #expect(
            Self.diagnostic { _ = try ZipArchive(bytes: [], name: "RVU24B.zip") }
                == .error(.notAZip, "the file is not a zip archive: it is empty", at: RVUCore.SourceLocation(file: "RVU24B.zip")))
    }

    @Test func aCutShortArchiveIsTruncated() throws {
        let bytes = try Self.zip([(name: "b.csv", bytes: Self.longText, deflate: true)])
        #expect(
            Self.diagnostic { _ = try ZipArchive(bytes: Array(bytes.prefix(bytes.count / 2)), name: "T.zip") }
                == .error(
                    .truncatedArchive,
                    "the archive is cut short: its central directory (the index at the end of a zip) is missing; "
                        + "the download was probably interrupted, download it again",
                    at: RVUCore.SourceLocation(file: "T.zip")))
    }

    @Test func aMemberLargerThanDeclaredStopsAtTheDeclaredSize() throws {
        var bytes = try Self.zip([(name: "b.csv", bytes: Self.longText, deflate: true)])
        let entry = try Self.centralDirectory(bytes)
        bytes.replaceSubrange(entry + 24..<entry + 28, with: [100, 0, 0, 0])  // declares 100 bytes
        let archive = try ZipArchive(bytes: bytes, name: "T.zip")
        let expected = Diagnostic.error(
            .sizeMismatch,
            "the member inflates to more than the 100 bytes the archive declares; the archive is damaged, download it again",
            at: RVUCore.SourceLocation(file: "T.zip/b.csv"))
        #expect(Self.diagnostic { _ = try archive.contents(of: archive.entries[0]) } == expected)
        var delivered = 0
        #expect(Self.diagnostic { try archive.stream(archive.entries[0], chunkSize: 64) { delivered += $0.count } } == expected)
        #expect(delivered <= 100)
    }

    @Test func unsupportedMethodsAndEncryptionAreRefused() throws {
        let bytes = try Self.zip([(name: "a.txt", bytes: Self.storedText, deflate: false)])
        let entry = try Self.centralDirectory(bytes)
        var bzip2 = bytes
        bzip2[entry + 10] = 12
        var encrypted = bytes
        encrypted[entry + 8] |= 1
        let location = RVUCore.SourceLocation(file: "T.zip/a.txt")
        let bzip2Archive = try ZipArchive(bytes: bzip2, name: "T.zip")
        #expect(
            Self.diagnostic { _ = try bzip2Archive.contents(of: bzip2Archive.entries[0]) }
                == .error(
                    .unsupportedCompression,
                    "the member uses compression method 12 (bzip2); only 0 (stored) and 8 (deflate) are supported, "
                        + "re-create the archive with ordinary zip compression",
                    at: location))
        let encryptedArchive = try ZipArchive(bytes: encrypted, name: "T.zip")
        #expect(encryptedArchive.entries[0].isEncrypted)
        #expect(
            Self.diagnostic { _ = try encryptedArchive.contents(of: encryptedArchive.entries[0]) }
                == .error(
                    .encryptedMember,
                    "the member is encrypted (password-protected) and cannot be read; "
                        + "CMS does not encrypt its releases, download the archive again from cms.gov",
                    at: location))
    }

    @Test func anErrorThrownByTheStreamBodyIsRethrown() throws {
        struct Stop: Error {}
        let bytes = try Self.zip([(name: "b.csv", bytes: Self.longText, deflate: true)])
        let archive = try ZipArchive(bytes: bytes, name: "T.zip")
        var calls = 0
        #expect(throws: Stop.self) {
            try archive.stream(archive.entries[0], chunkSize: 1_000) { _ in
                calls += 1
                throw Stop()
            }
        }
        #expect(calls == 1)
    }

    // MARK: XLSX

    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let sharedStrings = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <sst xmlns="\(mainNamespace)" count="4" uniqueCount="4"><si><t>HCPCS</t></si>\
        <si><r><rPr><b/></rPr><t>Rich </t></r><r><t xml:space="preserve">text</t></r>\
        <rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>\
        <si><t>caf&#233; _x005F_x0041_ _xD83D__xDE00_</t></si><si><t>_x001A_</t></si></sst>
        """

    static let sheet = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="\(mainNamespace)"><dimension ref="A1:F5"/><sheetData>\
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="4"><v>0.86899999999999999</v></c></row>\
        <row r="2"><c r="A2" t="inlineStr"><is><t>inline &amp; text</t></is></c><c r="B2" t="s"><v>1</v></c>\
        <c r="C2" s="2"/><c r="D2"><v>8.6E-2</v></c><c r="E2" t="b"><v>1</v></c>\
        <c r="F2" t="str"><f>A1</f><v>formula_x0009_</v></c></row>
        <row><c t="s"><v>2</v></c><c t="n"><v>5</v></c></row>\
        <row r="5"><c r="A5" t="s"><v>3</v></c></row></sheetData></worksheet>
        """

    /// An XLSX package with two sheets (the second at an absolute target) and shared strings.
    static func workbook(
        sheet: String = sheet, sharedStrings: String? = sharedStrings, withoutWorkbookPart: Bool = false
    ) throws -> [UInt8] {
        var members: [(name: String, bytes: [UInt8], deflate: Bool)] = [
            (
                "xl/_rels/workbook.xml.rels",
                Array(
                    """
                    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rId1" Type="\(relationshipNamespace)/worksheet" Target="worksheets/sheet1.xml"/>\
                    <Relationship Id="rId2" Type="\(relationshipNamespace)/worksheet" Target="/xl/worksheets/other.xml"/>\
                    <Relationship Id="rId3" Type="\(relationshipNamespace)/sharedStrings" Target="sharedStrings.xml"/></Relationships>
                    """.utf8), true
            ),
            ("xl/worksheets/sheet1.xml", Array(sheet.utf8), true),
            (
                "xl/worksheets/other.xml",
                Array(
                    "<worksheet xmlns=\"\(mainNamespace)\"><sheetData><row r=\"7\"><c r=\"B7\"><v>42</v></c></row></sheetData></worksheet>"
                        .utf8),
                false
            ),
        ]
        if !withoutWorkbookPart {
            members.append(
                (
                    "xl/workbook.xml",
                    Array(
                        """
                        <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(mainNamespace)" xmlns:r="\(relationshipNamespace)">\
                        <sheets><sheet name="PPRRVU24_APR" sheetId="1" r:id="rId1"/><sheet name="R&amp;D &lt;2&gt;" sheetId="2" r:id="rId2"/></sheets></workbook>
                        """.utf8), true
                ))
        }
        if let sharedStrings { members.append(("xl/sharedStrings.xml", Array(sharedStrings.utf8), true)) }
        return try zip(members)
    }

    /// Every row of a sheet as (number, cells, kinds).
    static func rows(_ workbook: XLSXWorkbook, sheet: Int = 0) throws -> [(Int, [String], [Row.CellKind])] {
        var rows: [(Int, [String], [Row.CellKind])] = []
        try workbook.readRows(sheet: sheet) { row in rows.append((row.number, row.strings, (0..<row.count).map { row.kind($0) })) }
        return rows
    }

    @Test func cellsArePlacedByReferenceWithTheirKinds() throws {
        let workbook = try XLSXWorkbook(bytes: try Self.workbook(), location: "T.zip/book.xlsx")
        #expect(workbook.sheetNames == ["PPRRVU24_APR", "R&D <2>"])
        let rows = try Self.rows(workbook)
        try #require(rows.count == 4)
        #expect(rows[0].0 == 1)
        #expect(rows[0].1 == ["HCPCS", "", "0.86899999999999999"])
        #expect(rows[0].2 == [.text, .missing, .number])
        #expect(rows[1].0 == 2)
        #expect(rows[1].1 == ["inline & text", "Rich text", "", "8.6E-2", "1", "formula\t"])
        #expect(rows[1].2 == [.text, .text, .missing, .number, .other, .text])
        #expect(rows[2].0 == 3, "a row without r follows the previous one")
        #expect(rows[2].1 == ["café _x0041_ 😀", "5"])
        #expect(rows[2].2 == [.text, .number])
        #expect(rows[3].0 == 5)
        #expect(rows[3].1 == ["\u{1A}"])
        var endMark: [UInt8] = []
        try workbook.readRows { row in if row.number == 5 { endMark = row.withCell(0) { Array($0) } } }
        #expect(endMark == [0x1A])

        let second = try Self.rows(workbook, sheet: 1)
        #expect(second.map(\.0) == [7])
        #expect(second.first?.1 == ["", "42"])
    }

    @Test func aDoctypeIsRefusedAndNothingIsExpanded() throws {
        let sheet = """
            <?xml version="1.0"?>
            <!DOCTYPE worksheet [<!ENTITY boom "BOOM"><!ENTITY boom2 "&boom;&boom;&boom;&boom;">]>
            <worksheet xmlns="\(Self.mainNamespace)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&boom2;</t></is></c></row></sheetData></worksheet>
            """
        let workbook = try XLSXWorkbook(bytes: try Self.workbook(sheet: sheet), location: "T.zip/book.xlsx")
        var rows = 0
        #expect(
            Self.diagnostic { try workbook.readRows { _ in rows += 1 } }
                == .error(
                    .xlsxDoctype,
                    "xl/worksheets/sheet1.xml has a document type declaration (<!DOCTYPE ...>), which XLSX files never "
                        + "contain; it is refused because it could declare entities, save the workbook again from a "
                        + "spreadsheet program",
                    at: RVUCore.SourceLocation(file: "T.zip/book.xlsx", sheet: "PPRRVU24_APR", line: 2)))
        #expect(rows == 0)

        let strings =
            "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY e \"x\">]><sst xmlns=\"\(Self.mainNamespace)\"><si><t>&e;</t></si></sst>"
        #expect(
            Self.diagnostic { _ = try XLSXWorkbook(bytes: try Self.workbook(sharedStrings: strings), location: "T.zip/book.xlsx") }?
                .code == .xlsxDoctype)
    }

    @Test func malformedXMLNamesThePartAndLine() throws {
        let sheet =
            "<worksheet xmlns=\"\(Self.mainNamespace)\"><sheetData>\n<row r=\"1\"><c r=\"A1\"><v>1</v></row></sheetData></worksheet>"
        let workbook = try XLSXWorkbook(bytes: try Self.workbook(sheet: sheet), location: "T.zip/book.xlsx")
        let found = try #require(Self.diagnostic { try workbook.readRows { _ in } })
        #expect(found.code == .xlsxMalformed)
        #expect(found.location == RVUCore.SourceLocation(file: "T.zip/book.xlsx", sheet: "PPRRVU24_APR", line: 2))
        #expect(
            found.message.hasPrefix("malformed XML: opening and ending tag mismatch: c line 2 and row (xl/worksheets/sheet1.xml, column "))
        #expect(found.message.hasSuffix("); the workbook is damaged, download it again"))
    }

    @Test func aBadSharedStringNumberPointsAtTheCell() throws {
        let sheet =
            "<worksheet xmlns=\"\(Self.mainNamespace)\"><sheetData><row r=\"3\"><c r=\"AB3\" t=\"s\"><v>9</v></c></row></sheetData></worksheet>"
        let workbook = try XLSXWorkbook(bytes: try Self.workbook(sheet: sheet), location: "T.zip/book.xlsx")
        #expect(
            Self.diagnostic { try workbook.readRows { _ in } }
                == .error(
                    .xlsxMalformed,
                    "cell AB3 refers to shared string 9, but the workbook has 4 (numbered from 0); the workbook is damaged",
                    at: RVUCore.SourceLocation(file: "T.zip/book.xlsx", sheet: "PPRRVU24_APR", line: 3, column: 28)))
    }

    @Test func anErrorThrownForARowStopsTheParserAndIsRethrown() throws {
        struct Stop: Error { let row: Int }
        let workbook = try XLSXWorkbook(bytes: try Self.workbook(), location: "T.zip/book.xlsx")
        var seen: [Int] = []
        do {
            try workbook.readRows { row in
                seen.append(row.number)
                if row.number == 2 { throw Stop(row: row.number) }
            }
            Issue.record("the error was not rethrown")
        } catch let error as Stop {
            #expect(error.row == 2)
        }
        #expect(seen == [1, 2])
    }

    @Test func aMissingWorkbookPartIsNamed() throws {
        #expect(
            Self.diagnostic {
                _ = try XLSXWorkbook(bytes: try Self.workbook(withoutWorkbookPart: true), location: "T.zip/book.xlsx")
            }
                == .error(
                    .xlsxMissingPart,
                    "the workbook has no xl/workbook.xml; is this an XLSX file?",
                    at: RVUCore.SourceLocation(file: "T.zip/book.xlsx")))
        let workbook = try XLSXWorkbook(bytes: try Self.workbook(), location: "T.zip/book.xlsx")
        #expect(
            Self.diagnostic { try workbook.readRows(sheet: 2) { _ in } }
                == .error(
                    .xlsxMissingPart, "the workbook has 2 sheets; there is no sheet 3",
                    at: RVUCore.SourceLocation(file: "T.zip/book.xlsx")))
    }

    // MARK: The real release

    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["RVU_SHARED_CMS"] != nil, "set RVU_SHARED_CMS to ../shared/cms to run"))
    func realRVU24B() throws {
        let folder = try #require(ProcessInfo.processInfo.environment["RVU_SHARED_CMS"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/RVU24B.zip")))
        let archive = try ZipArchive(bytes: bytes, name: "RVU24B.zip")
        #expect(archive.entries.count == 16)
        #expect(
            archive.entries.map(\.name) == [
                "24LOCCO.csv", "24LOCCO.txt", "24LOCCO.xlsx", "ANES2024.csv", "ANES2024.txt", "ANES2024.xlsx",
                "GPCI2024.csv", "GPCI2024.txt", "GPCI2024.xlsx", "OPPSCAP_APR.csv", "OPPSCAP_APR.txt",
                "OPPSCAP_APR.xlsx", "PPRRVU24_APR.csv", "PPRRVU24_APR.txt", "PPRRVU24_APR.xlsx", "RVU24B.pdf",
            ])
        for entry in archive.entries {
            #expect(try archive.contents(of: entry).count == entry.uncompressedSize, "\(entry.name)")
        }
        let member = try #require(archive.entries.first { $0.name == "PPRRVU24_APR.xlsx" })
        let workbook = try XLSXWorkbook(bytes: try archive.contents(of: member), location: "RVU24B.zip/PPRRVU24_APR.xlsx")
        #expect(workbook.sheetNames == ["PPRRVU24_APR"])
        var rows = 0
        var dataRows = 0
        var row11: [String] = []
        var row11Kinds: [Row.CellKind] = []
        var last: (number: Int, first: [UInt8]) = (0, [])
        try workbook.readRows { row in
            rows += 1
            if (11...18544).contains(row.number) { dataRows += 1 }
            if row.number == 11 {
                row11 = row.strings
                row11Kinds = (0..<row.count).map { row.kind($0) }
            }
            last = (row.number, row.withCell(0) { Array($0) })
        }
        #expect(rows == 18545)
        #expect(dataRows == 18534)
        try #require(row11.count == 31)
        #expect(row11[0] == "A0021")
        #expect(row11[3] == "I")
        #expect(row11[24] == "33.287500000000001")
        #expect(row11Kinds[24] == .number)
        #expect(row11[25] == "09")
        #expect(row11Kinds[25] == .text)
        #expect(row11[27] == "99")
        #expect(row11Kinds[27] == .number)
        #expect(row11Kinds[1] == .missing)
        #expect(last.number == 18545)
        #expect(last.first == [0x1A])
    }
}
