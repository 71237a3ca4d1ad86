import RVUCore
import Testing

@testable import RVUImport

@Suite struct CSVReaderTests {
    func rows(_ bytes: [UInt8]) throws -> [[String]] {
        var rows: [[String]] = []
        try bytes.withUnsafeBufferPointer { buffer in
            try CSVReader(bytes: buffer, location: SourceLocation(file: "t.csv")).forEachRow { row in
                rows.append(row.strings)
            }
        }
        return rows
    }

    @Test func quotingAndLineEnds() throws {
        let text = "a,\"b, c\",\"say \"\"hi\"\"\"\r\nx,,\"multi\nline\"\ny\rz"
        #expect(
            try rows(Array(text.utf8)) == [["a", "b, c", "say \"hi\""], ["x", "", "multi\nline"], ["y"], ["z"]])
    }

    @Test func windows1252AndUTF8() throws {
        // 0x92 is a right single quote in Windows-1252; a valid UTF-8 file is read as UTF-8.
        #expect(try rows([0x41, 0x92, 0x42]) == [["A\u{2019}B"]])
        #expect(try rows(Array("Caf\u{e9}".utf8)) == [["Caf\u{e9}"]])
        #expect(try rows([0xEF, 0xBB, 0xBF, 0x61]) == [["a"]], "the BOM is skipped")
    }

    @Test func stopsAtTheEndOfFileMark() throws {
        #expect(try rows(Array("a,b\r\n\u{1A},,\r\n".utf8)) == [["a", "b"], ["\u{1A}", "", ""]])
        #expect(try rows(Array("a,b\r\n\u{1A}".utf8)) == [["a", "b"], ["\u{1A}"]])
        #expect(try rows(Array("a,b\r\n\u{1A},,\r\n,,\r\n \r\n\n".utf8)) == [["a", "b"], ["\u{1A}", "", ""]], "blank lines may follow")
    }

    /// A row after the mark would be dropped unseen: an error naming its line and column.
    @Test func dataAfterTheEndOfFileMarkIsAnError() throws {
        let message =
            "error: data after the end-of-file mark (0x1A, Ctrl-Z) on line 2: CMS files end at this mark, so this line would not be read; remove the mark, or what follows it if it does not belong to the file"
        for (text, expected) in [
            ("a,b\r\n\u{1A},,\r\nnot read\r\n", "t.csv:3:1: \(message)"),
            ("a,b\r\n\u{1A},,\r\n\r\n,x\r\n", "t.csv:4:2: \(message)"),
            ("a,b\n\"\u{1A}\"\n\"x\"\n", "t.csv:3:1: \(message)"),
            (
                "a,b\r\n\u{1A},x\r\n",
                "t.csv:2:2: error: data after the end-of-file mark (0x1A, Ctrl-Z) on the same line: CMS files end at this mark, so this line would not be read; remove the mark, or what follows it if it does not belong to the file"
            ),
        ] {
            do {
                _ = try rows(Array(text.utf8))
                Issue.record("expected an error for \(text.debugDescription)")
            } catch let error as DiagnosticError {
                #expect(error.description == expected)
                #expect(error.diagnostic.code == .dataAfterEndOfFile)
            }
        }
    }

    @Test func unterminatedQuoteNamesItsLine() throws {
        do {
            _ = try rows(Array("a,b\r\nc,\"open\r\nmore\r\n".utf8))
            Issue.record("expected an error")
        } catch let error as DiagnosticError {
            #expect(error.description == "t.csv:2:2: error: unterminated quoted field: the quote opened here is never closed")
        }
    }

    @Test func undefinedWindows1252ByteIsAnError() throws {
        do {
            _ = try rows([0x61, 0x2C, 0x81, 0xFF])
            Issue.record("expected an error")
        } catch let error as DiagnosticError {
            #expect(error.description == "t.csv:1:2: error: byte 0x81 is not text in Windows-1252 or UTF-8")
        }
    }
}
