import Foundation
import RVUCore
import RVUTestSupport
import Testing

@testable import RVUContainers
@testable import RVUImport

/// Records the events of a parse as lines of text: `<name a=v>`, `</name>`, `"text"` (adjacent
/// pieces of text joined).
final class XMLEventRecorder: XMLPushParser {
    private(set) var events: [String] = []
    private var text: [UInt8] = []

    init() { super.init(location: SourceLocation(file: "t.xlsx", sheet: "Data"), part: "xl/worksheets/sheet1.xml") }

    override func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) throws {
        flush()
        let shown = attributes.all.map { "\($0.namespace == nil ? "" : "ns:")\($0.name)=\($0.value)" }
        events.append("<" + ([String(cString: name)] + shown).joined(separator: " ") + ">")
    }

    override func endElement(_ name: UnsafePointer<UInt8>) throws {
        flush()
        events.append("</\(String(cString: name))>")
    }

    override func characters(_ text: UnsafeBufferPointer<UInt8>) throws { self.text.append(contentsOf: text) }

    func flush() {
        if !text.isEmpty { events.append("\"\(String(decoding: text, as: UTF8.self))\"") }
        text = []
    }

    /// The events of `document` fed in pieces that end at each offset of `pieces`.
    static func events(_ document: [UInt8], pieces: [Int]) throws -> [String] {
        let recorder = XMLEventRecorder()
        try recorder.parse { feed in
            var offset = 0
            for end in pieces + [document.count] where end >= offset {
                let stop = min(end, document.count)
                try document[offset..<stop].withUnsafeBytes { try feed($0) }
                offset = stop
            }
        }
        recorder.flush()
        return recorder.events
    }

    /// The events of `document` fed in chunks of `chunk` bytes.
    static func events(_ document: [UInt8], chunk: Int) throws -> [String] {
        try events(document, pieces: chunk >= document.count ? [] : Array(stride(from: chunk, to: document.count, by: chunk)))
    }

    /// What reading `document` in chunks of `chunk` bytes throws, as printed, or nil.
    static func failure(_ document: [UInt8], chunk: Int) -> String? {
        do {
            _ = try events(document, chunk: chunk)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// ``XMLPushParser`` on libxml2: the events it reports, the same however the document is cut
/// into chunks, and its errors with their line and column.
@Suite struct XMLPushParserTests {
    static let chunks = [1, 7, 4096, Int.max]

    /// The events of `document`, after checking that they are the same for every chunk size and
    /// for every split in two.
    func events(_ document: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String] {
        let bytes = Array(document.utf8)
        let reference = try XMLEventRecorder.events(bytes, chunk: Int.max)
        for chunk in Self.chunks.dropLast() {
            let found = try XMLEventRecorder.events(bytes, chunk: chunk)
            #expect(found == reference, "chunks of \(chunk)", sourceLocation: sourceLocation)
        }
        for split in 0...bytes.count {
            let found = try XMLEventRecorder.events(bytes, pieces: [split])
            #expect(found == reference, "split at \(split)", sourceLocation: sourceLocation)
        }
        return reference
    }

    /// The error reading `document` (the same for every chunk size).
    func failure(_ document: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        let first = XMLEventRecorder.failure(document, chunk: Int.max)
        for chunk in Self.chunks.dropLast() {
            #expect(XMLEventRecorder.failure(document, chunk: chunk) == first, "chunks of \(chunk)", sourceLocation: sourceLocation)
        }
        return first
    }

    func failure(_ document: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        failure(Array(document.utf8), sourceLocation: sourceLocation)
    }

    static func malformed(_ line: Int, _ message: String, column: Int) -> String {
        "t.xlsx[Data]:\(line): error: malformed XML: \(message) (xl/worksheets/sheet1.xml, column \(column)); "
            + "the workbook is damaged, download it again"
    }

    // MARK: Constructs

    @Test func declarationPrefixesAndNamespaceDeclarations() throws {
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <x:worksheet xmlns:x="urn:x" xmlns="urn:main" xmlns:r="urn:r"><x:row r="1" r:id="rId1"/></x:worksheet>
            """
        #expect(try events(document) == ["<worksheet>", "<row r=1 ns:id=rId1>", "</row>", "</worksheet>"])
    }

    @Test func attributesInEitherQuotesWithReferencesAndWhiteSpace() throws {
        let document = "<a x='1 \"2\"' y = \"&lt;&amp;&#65;&#x42;&apos;\" z=\"a\tb\r\nc\nd\"\n/>"
        #expect(try events(document) == ["<a x=1 \"2\" y=<&AB' z=a b c d>", "</a>"])
    }

    @Test func closingBracketsInText() throws {
        // `]` is text like any other character; only `]]>` is refused.
        let document = "<r><t>a]b]]c] ]</t><t>]</t><t>]]</t><t>x]&amp;]\n]</t></r>"
        #expect(
            try events(document) == [
                "<r>", "<t>", "\"a]b]]c] ]\"", "</t>", "<t>", "\"]\"", "</t>", "<t>", "\"]]\"", "</t>", "<t>", "\"x]&]\n]\"",
                "</t>", "</r>",
            ])
    }

    @Test func textWithEntitiesCharacterReferencesAndLineEnds() throws {
        let document = "<t>a &lt;b&gt; &amp; &quot;c&apos; &#233;&#x1F600; caf\u{E9}\r\nx\ry</t>"
        #expect(try events(document) == ["<t>", "\"a <b> & \"c' \u{E9}\u{1F600} caf\u{E9}\nx\ny\"", "</t>"])
    }

    @Test func cdataCommentsAndProcessingInstructions() throws {
        let document =
            "<?pi before?><!-- a - comment --><r><![CDATA[<not> &amp; a tag]]><!-- inside --><?pi inside <x>?>"
            + "<c/></r><!-- after --><?pi after?> \n"
        #expect(try events(document) == ["<r>", "\"<not> &amp; a tag\"", "<c>", "</c>", "</r>"])
    }

    @Test func whiteSpaceEverywhereItMayBe() throws {
        let document = "\u{FEFF}<?xml version='1.0'?>\n\n<row  r = '2' >\n <c\tr=\"A2\"\n></c >\n</row\n>\n"
        #expect(try events(document) == ["<row r=2>", "\"\n \"", "<c r=A2>", "</c>", "\"\n\"", "</row>"])
    }

    @Test func aDocumentInAnotherEncoding() throws {
        var document = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf".utf8)
        document += [0xE9] + Array("</t>".utf8)
        for chunk in Self.chunks {
            #expect(try XMLEventRecorder.events(document, chunk: chunk) == ["<t>", "\"caf\u{E9}\"", "</t>"])
        }
        // UTF-16 with a byte order mark.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<t>x</t>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try XMLEventRecorder.events(utf16, chunk: 3) == ["<t>", "\"x\"", "</t>"])
    }

    // MARK: Errors

    @Test func aMismatchedEndTag() {
        #expect(
            failure("<worksheet>\n<row><c></row></worksheet>")
                == Self.malformed(2, "opening and ending tag mismatch: c line 2 and row", column: 15))
    }

    @Test func anUndeclaredEntity() {
        #expect(failure("<t>a &nbsp; b</t>") == Self.malformed(1, "entity 'nbsp' not defined", column: 12))
        #expect(failure("<t>a & b</t>") == Self.malformed(1, "xmlParseEntityRef: no name", column: 7))
        #expect(failure("<t>&#0;</t>") == Self.malformed(1, "xmlParseCharRef: invalid xmlChar value 0", column: 8))
        #expect(failure("<t a='&#xD800;'/>") == Self.malformed(1, "xmlParseCharRef: invalid xmlChar value 55296", column: 15))
    }

    @Test func invalidUTF8() {
        // libxml2 words it differently when the bad sequence is cut between chunks.
        let bytes = [UInt8]("<t>ab".utf8) + [0xC3, 0x28] + Array("</t>".utf8)
        #expect(
            XMLEventRecorder.failure(bytes, chunk: Int.max)
                == Self.malformed(
                    1, "input is not proper UTF-8, indicate encoding !; Bytes: 0xC3 0x28 0x3C 0x2F", column: 6))
        for chunk in Self.chunks { #expect(XMLEventRecorder.failure(bytes, chunk: chunk)?.contains("malformed XML") == true) }
        let surrogate = [UInt8]("<t a='".utf8) + [0xED, 0xA0, 0x80] + Array("'/>".utf8)
        for chunk in Self.chunks { #expect(XMLEventRecorder.failure(surrogate, chunk: chunk)?.contains("malformed XML") == true) }
    }

    @Test func aControlCharacter() {
        #expect(failure("<t>\na\u{1}</t>") == Self.malformed(2, "PCDATA invalid Char value 1", column: 2))
    }

    @Test func aTruncatedDocument() {
        #expect(
            failure("<worksheet><row><c r=\"A1\"><v>1</v></c>")
                == Self.malformed(1, "the document ends inside <row>, which is not closed", column: 39))
        #expect(failure("<worksheet><row><c r=\"A1") != nil)
        #expect(failure("") == Self.malformed(1, "extra content at the end of the document", column: 1))
    }

    @Test func contentOutsideTheRootElement() {
        #expect(failure("<a/><b/>") == Self.malformed(1, "extra content at the end of the document", column: 5))
        #expect(failure("<a/>text") == Self.malformed(1, "extra content at the end of the document", column: 5))
        #expect(failure("text<a/>") == Self.malformed(1, "document is empty", column: 1))
    }

    @Test func otherMalformedMarkup() {
        #expect(failure("<a x='1' x='2'/>") == Self.malformed(1, "attribute x redefined", column: 15))
        #expect(failure("<a x='<'/>") == Self.malformed(1, "unescaped '<' not allowed in attributes values", column: 7))
        #expect(failure("<a>]]></a>") == Self.malformed(1, "sequence ']]>' not allowed in content", column: 4))
        #expect(failure("<a><!-- a -- b --></a>") == Self.malformed(1, "double hyphen within comment", column: 11))
        #expect(failure("<a x='1'y='2'/>") == Self.malformed(1, "attributes construct error", column: 9))
        #expect(
            failure("<a/><?xml version='1.0'?>")
                == Self.malformed(1, "XML declaration allowed only at the start of the document", column: 10))
    }

    @Test func aDoctypeIsRefused() {
        #expect(
            failure("<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY e \"x\">]><t>&e;</t>")
                == "t.xlsx[Data]:2: error: xl/worksheets/sheet1.xml has a document type declaration (<!DOCTYPE ...>), "
                + "which XLSX files never contain; it is refused because it could declare entities, save the workbook "
                + "again from a spreadsheet program")
    }

    @Test func deepNestingIsRefused() {
        // Each open element costs memory; libxml2's push parser does not apply its own cap.
        let document = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(failure(document) == Self.malformed(1, "elements nested more than 256 deep", column: 771))
        let shallow = String(repeating: "<a>", count: 250) + String(repeating: "</a>", count: 250)
        #expect(failure(shallow) == nil)
    }

    @Test func anErrorThrownByAHandlerStopsTheParser() {
        final class Stopper: XMLPushParser {
            var seen = 0
            override func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) throws {
                seen += 1
                if name.isName("b") { throw DiagnosticError(.internalError, "stop at b", at: nil) }
            }
        }
        let parser = Stopper(location: SourceLocation(file: "t.xlsx"), part: "p.xml")
        let document = Array("<r><a/><b/><c/><d/></r>".utf8)
        #expect(throws: DiagnosticError.self) {
            try parser.parse { feed in try document.withUnsafeBytes { try feed($0) } }
        }
        #expect(parser.seen == 3)
    }
}

extension XMLPushParserTests {
    @Test func aHugeAttributeOrNameIsRefused() {
        // Without XML_PARSE_HUGE libxml2 holds no attribute value over 10,000,000 bytes and no
        // name over 50,000 (text is handed over in pieces, and bounded by the part's size cap).
        let attribute = Array(("<t a='" + String(repeating: "x", count: 10_000_001) + "'/>").utf8)
        #expect(
            XMLEventRecorder.failure(attribute, chunk: 1 << 18) == Self.malformed(1, "attValue length too long", column: 6))
        let name = Array(("<" + String(repeating: "n", count: 50_001) + "/>").utf8)
        #expect(XMLEventRecorder.failure(name, chunk: 1 << 18) == Self.malformed(1, "name too long: NCName", column: 2))
    }
}
