import RVUCore
import Testing

@testable import RVUImport

/// The edges of ``XMLScanner``'s fast path for worksheet markup: each document is read by the
/// scanner split in two at every offset (and in the usual chunk sizes), and must give libxml2's
/// events, or the same error wherever it is split.
@Suite struct XMLScannerFastPathTests {
    /// The scanner's events for `bytes` fed as `bytes[..<split]` then the rest.
    static func events(_ bytes: [UInt8], split: Int) throws -> [String] {
        let recorder = XMLEventRecorder()
        try recorder.parse(engine: .scanner) { feed in
            try bytes[..<split].withUnsafeBytes { try feed($0) }
            try bytes[split...].withUnsafeBytes { try feed($0) }
        }
        recorder.flush()
        return recorder.events
    }

    /// What reading `bytes` split at `split` throws, as printed, or nil.
    static func failure(_ bytes: [UInt8], split: Int) -> String? {
        do {
            _ = try events(bytes, split: split)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// libxml2's events for `document`, after checking that the scanner gives the same at every
    /// split and chunk size.
    func events(_ document: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String] {
        let bytes = Array(document.utf8)
        let reference = try XMLEventRecorder.events(bytes, engine: .libxml2, chunk: Int.max)
        for split in 0...bytes.count {
            let found = try Self.events(bytes, split: split)
            #expect(found == reference, "split at \(split)", sourceLocation: sourceLocation)
        }
        for chunk in XMLScannerTests.chunks {
            let found = try XMLEventRecorder.events(bytes, engine: .scanner, chunk: chunk)
            #expect(found == reference, "chunks of \(chunk)", sourceLocation: sourceLocation)
        }
        return reference
    }

    /// The scanner's error for `document`, after checking that it is the same at every split.
    func failure(_ document: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        let bytes = Array(document.utf8)
        let first = XMLEventRecorder.failure(bytes, chunk: Int.max)
        for split in 0...bytes.count {
            #expect(Self.failure(bytes, split: split) == first, "split at \(split)", sourceLocation: sourceLocation)
        }
        return first
    }

    static let sheet = "<worksheet><sheetData>"
    static let end = "</sheetData></worksheet>"

    // MARK: Shapes the fast path reads

    @Test func typicalCells() throws {
        let document =
            Self.sheet + "<row r=\"12\" spans=\"1:3\"><c r=\"B12\" s=\"3\" t=\"s\"><v>17</v></c>"
            + "<c r=\"C12\" s=\"4\"><v>0.86899999999999999</v></c><c r=\"D12\" s=\"2\"/></row>" + Self.end
        #expect(
            try events(document) == [
                "<worksheet>", "<sheetData>", "<row r=12 spans=1:3>", "<c r=B12 s=3 t=s>", "<v>", "\"17\"", "</v>", "</c>",
                "<c r=C12 s=4>", "<v>", "\"0.86899999999999999\"", "</v>", "</c>", "<c r=D12 s=2>", "</c>", "</row>",
                "</sheetData>", "</worksheet>",
            ])
    }

    @Test func attributesInAnyOrderAndEitherQuotes() throws {
        let document =
            Self.sheet + "<row r='1'><c t='s' s=\"3\" r='A1'><v>0</v></c><c s='1' r=\"B1\" t=\"n\"><v>2</v></c></row>"
            + Self.end
        #expect(
            try events(document).dropFirst(2).dropLast(2) == [
                "<row r=1>", "<c t=s s=3 r=A1>", "<v>", "\"0\"", "</v>", "</c>", "<c s=1 r=B1 t=n>", "<v>", "\"2\"", "</v>",
                "</c>", "</row>",
            ])
    }

    @Test func quotesInsideValuesAndEmptyValues() throws {
        let document = "<a x='say \"hi\"' y=\"it's\" z='' w=\"\"/>"
        #expect(try events(document) == ["<a x=say \"hi\" y=it's z= w=>", "</a>"])
    }

    @Test func whiteSpaceVariantsInTags() throws {
        let document =
            "<row\tr=\"1\"\r\n  ><c  r=\"A1\"\ts=\"2\" /><c\nr=\"B1\"\n/><c r = \"C1\"></c\t><c r=\"D1\">\n</c\n>\r\n</row >"
        #expect(
            try events(document) == [
                "<row r=1>", "<c r=A1 s=2>", "</c>", "<c r=B1>", "</c>", "<c r=C1>", "</c>", "<c r=D1>", "\"\n\"", "</c>",
                "\"\n\"", "</row>",
            ])
    }

    @Test func referencesInValuesAndText() throws {
        let document =
            "<row r=\"&#49;\"><c r=\"A&#x31;\" t=\"inlineStr\"><is><t>a &amp; b &lt;&#233;&gt;</t></is></c>"
            + "<c r='B1' s='&quot;x&apos;'><v>1&#46;5</v></c><c r='C1' s=\"a\tb\"/></row>"
        #expect(
            try events(document) == [
                "<row r=1>", "<c r=A1 t=inlineStr>", "<is>", "<t>", "\"a & b <\u{E9}>\"", "</t>", "</is>", "</c>",
                "<c r=B1 s=\"x'>", "<v>", "\"1.5\"", "</v>", "</c>", "<c r=C1 s=a b>", "</c>", "</row>",
            ])
    }

    @Test func namespacePrefixes() throws {
        let document =
            "<x:worksheet xmlns:x=\"urn:x\" xmlns:r=\"urn:r\" xmlns=\"urn:main\"><x:sheetData><x:row r=\"1\" r:id=\"rId1\">"
            + "<x:c r=\"A1\"><x:v>5</x:v></x:c><c r=\"B1\"/></x:row></x:sheetData></x:worksheet>"
        #expect(
            try events(document) == [
                "<worksheet>", "<sheetData>", "<row r=1 ns:id=rId1>", "<c r=A1>", "<v>", "\"5\"", "</v>", "</c>", "<c r=B1>",
                "</c>", "</row>", "</sheetData>", "</worksheet>",
            ])
    }

    @Test func namesOfEveryLengthAroundTheWordSize() throws {
        // End tags of up to 5 name bytes are compared as one word; longer ones byte by byte.
        let names = ["a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi", "a:bcdefghijk"]
        var document = "<r xmlns:a='urn:a'>"
        var expected = ["<r>"]
        for name in names {
            document += "<\(name) k='v'>t</\(name)><\(name)/>"
            let local = name.split(separator: ":").last.map(String.init) ?? name
            expected += ["<\(local) k=v>", "\"t\"", "</\(local)>", "<\(local)>", "</\(local)>"]
        }
        document += "</r>"
        #expect(try events(document) == expected + ["</r>"])
    }

    @Test func nonASCIINamesAndValues() throws {
        let document = "<r><caf\u{E9} n\u{E9}='\u{E9}t\u{E9}'>\u{E9}</caf\u{E9}><c v='\u{1F600}'/></r>"
        #expect(
            try events(document) == [
                "<r>", "<caf\u{E9} n\u{E9}=\u{E9}t\u{E9}>", "\"\u{E9}\"", "</caf\u{E9}>", "<c v=\u{1F600}>", "</c>", "</r>",
            ])
    }

    @Test func markupAfterTheRootAndBetweenCells() throws {
        let document = "<r><c/><!-- note --><?pi x?><![CDATA[<c>]]><c/></r>\n<!-- after -->\n"
        #expect(try events(document) == ["<r>", "<c>", "</c>", "\"<c>\"", "<c>", "</c>", "</r>"])
    }

    // MARK: Malformed markup the fast path must leave to the general path

    @Test func endTagsThatDoNotMatch() {
        #expect(
            failure("<row><c r='A1'></cc></row>")
                == XMLScannerTests.malformed(1, "opening and ending tag mismatch: c line 1 and cc", column: 18))
        #expect(
            failure("<row><cc></c></row>")
                == XMLScannerTests.malformed(1, "opening and ending tag mismatch: cc line 1 and c", column: 12))
        #expect(
            failure("<row><c></c:x></row>")
                == XMLScannerTests.malformed(1, "opening and ending tag mismatch: c line 1 and c:x", column: 11))
        #expect(
            failure("<row><abcdefghi></abcdefghj></row>")
                == XMLScannerTests.malformed(
                    1, "opening and ending tag mismatch: abcdefghi line 1 and abcdefghj", column: 19))
        #expect(
            failure("<row><c></c x></row>") == XMLScannerTests.malformed(1, "expected '>' at the end of </c>", column: 13))
    }

    @Test func badAttributes() {
        #expect(failure("<row><c r='A1' r='B1'/></row>") == XMLScannerTests.malformed(1, "attribute r redefined", column: 16))
        #expect(
            failure("<row><c abcdefghij='1' abcdefghij='2'/></row>")
                == XMLScannerTests.malformed(1, "attribute abcdefghij redefined", column: 24))
        #expect(
            failure("<row><c r='<'/></row>")
                == XMLScannerTests.malformed(1, "unescaped '<' not allowed in attribute values", column: 12))
        #expect(
            failure("<row><c r='A1's='2'/></row>")
                == XMLScannerTests.malformed(
                    1, "attributes construct error in <c>: expected white space, '>' or '/>'", column: 15))
        #expect(
            failure("<row><c r=A1/></row>")
                == XMLScannerTests.malformed(1, "attribute value of r must start with \" or '", column: 11))
        #expect(
            failure("<row><c r/></row>")
                == XMLScannerTests.malformed(1, "specification mandates value for attribute r", column: 10))
        #expect(
            failure("<row><c r='&bad;'/></row>")
                == XMLScannerTests.malformed(
                    1,
                    "entity 'bad' not defined (only &lt; &gt; &amp; &apos; &quot; can be, as a workbook part has no document type)",
                    column: 12))
        #expect(
            failure("<row><c r='\u{1}'/></row>")
                == XMLScannerTests.malformed(1, "control character U+0001 is not allowed in XML", column: 12))
        #expect(
            failure("<row><c r='1'/ ></row>")
                == XMLScannerTests.malformed(1, "expected '>' after '/' in <c>", column: 15))
    }

    @Test func badNames() {
        #expect(
            failure("<row><c r='1' 1x='2'/></row>") == XMLScannerTests.malformed(1, "expected an attribute name", column: 15))
        #expect(
            failure("<row><a:b:c/></row>") == XMLScannerTests.malformed(1, "'a:b:' is not a valid qualified name", column: 7))
        #expect(
            failure("<row><c x:='1'/></row>") == XMLScannerTests.malformed(1, "'x:' is not a valid qualified name", column: 9))
        let long = String(repeating: "n", count: XMLScanner.maximumName + 1)
        #expect(
            failure("<row><\(long)/></row>")
                == XMLScannerTests.malformed(1, "a name longer than \(XMLScanner.maximumName) bytes", column: 7))
        #expect(
            failure("<row><c \(long)='1'/></row>")
                == XMLScannerTests.malformed(1, "a name longer than \(XMLScanner.maximumName) bytes", column: 9))
    }

    @Test func limitsHoldOnTheFastPath() {
        let deep = String(repeating: "<c>", count: 257) + String(repeating: "</c>", count: 257)
        #expect(failure(deep) == XMLScannerTests.malformed(1, "elements nested more than 256 deep", column: 769))
        let attributes = "<c " + (0...256).map { "a\($0)='1'" }.joined(separator: " ") + "/>"
        #expect(
            XMLEventRecorder.failure(Array(attributes.utf8), chunk: Int.max)
                == XMLScannerTests.malformed(1, "more than 256 attributes in <c>", column: 2198))
        #expect(
            XMLEventRecorder.failure(Array(attributes.utf8), chunk: 7)
                == XMLScannerTests.malformed(1, "more than 256 attributes in <c>", column: 2198))
    }

    @Test func linesCountedInTextBeforeAnError() {
        #expect(
            failure("<row>\n<c>a\nb&nbsp;</c></row>")
                == XMLScannerTests.malformed(
                    3,
                    "entity 'nbsp' not defined (only &lt; &gt; &amp; &apos; &quot; can be, as a workbook part has no document type)",
                    column: 2))
        #expect(
            failure("<row>\n<c>\na]]></c></row>")
                == XMLScannerTests.malformed(3, "sequence ']]>' not allowed in content", column: 2))
        #expect(
            failure("<row>\n<c r='1'>\n</d></row>")
                == XMLScannerTests.malformed(3, "opening and ending tag mismatch: c line 2 and d", column: 3))
    }

    @Test func aTruncatedCell() {
        #expect(
            failure("<row><c r=\"A1\" s=\"2\"")
                == XMLScannerTests.malformed(1, "the document ends inside markup", column: 21))
        #expect(
            failure("<row><c r=\"A1\"><v>1</v")
                == XMLScannerTests.malformed(1, "the document ends inside markup", column: 23))
    }
}
