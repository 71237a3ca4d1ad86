import Foundation
import RVUCore
import RVUTestSupport
import Testing

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

    /// The events of `document` read by `engine` in chunks of `chunk` bytes.
    static func events(_ document: [UInt8], engine: XMLEngine, chunk: Int) throws -> [String] {
        let recorder = XMLEventRecorder()
        try recorder.parse(engine: engine) { feed in
            var offset = 0
            while offset < document.count {
                let end = min(offset + chunk, document.count)
                try document[offset..<end].withUnsafeBytes { try feed($0) }
                offset = end
            }
        }
        recorder.flush()
        return recorder.events
    }

    /// What reading `document` with the scanner throws, as printed, or nil.
    static func failure(_ document: [UInt8], chunk: Int) -> String? {
        do {
            _ = try events(document, engine: .scanner, chunk: chunk)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

@Suite struct XMLScannerTests {
    static let chunks = [1, 7, 4096, Int.max]

    /// The scanner's events for `document`, the same for every chunk size and the same as libxml2's.
    func events(_ document: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String] {
        let bytes = Array(document.utf8)
        let reference = try XMLEventRecorder.events(bytes, engine: .libxml2, chunk: Int.max)
        for chunk in Self.chunks {
            let found = try XMLEventRecorder.events(bytes, engine: .scanner, chunk: chunk)
            #expect(found == reference, "chunks of \(chunk)", sourceLocation: sourceLocation)
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

    @Test func aNonUTF8DocumentGoesToLibXML2() throws {
        var document = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf".utf8)
        document += [0xE9] + Array("</t>".utf8)
        for chunk in Self.chunks {
            #expect(try XMLEventRecorder.events(document, engine: .scanner, chunk: chunk) == ["<t>", "\"caf\u{E9}\"", "</t>"])
        }
        // UTF-16 with a byte order mark.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<t>x</t>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try XMLEventRecorder.events(utf16, engine: .scanner, chunk: 3) == ["<t>", "\"x\"", "</t>"])
    }

    // MARK: Errors

    @Test func aMismatchedEndTag() {
        #expect(
            failure("<worksheet>\n<row><c></row></worksheet>")
                == Self.malformed(2, "opening and ending tag mismatch: c line 2 and row", column: 11))
    }

    @Test func anUndeclaredEntity() {
        #expect(
            failure("<t>a &nbsp; b</t>")
                == Self.malformed(
                    1,
                    "entity 'nbsp' not defined (only &lt; &gt; &amp; &apos; &quot; can be, as a workbook part has no document type)",
                    column: 6))
        #expect(failure("<t>a & b</t>") == Self.malformed(1, "a reference starting '& ' does not end with ';'", column: 6))
        #expect(
            failure("<t>&#0;</t>")
                == Self.malformed(1, "character reference '&#0;' is not a character XML allows", column: 4))
        #expect(
            failure("<t a='&#xD800;'/>")
                == Self.malformed(1, "character reference '&#xD800;' is not a character XML allows", column: 7))
    }

    @Test func invalidUTF8() {
        #expect(
            failure([UInt8]("<t>ab".utf8) + [0xC3, 0x28] + Array("</t>".utf8))
                == Self.malformed(1, "invalid UTF-8 sequence starting with byte 0xC3; the part must be UTF-8", column: 6))
        #expect(
            failure([UInt8]("<t a='".utf8) + [0xED, 0xA0, 0x80] + Array("'/>".utf8))
                == Self.malformed(1, "invalid UTF-8 sequence starting with byte 0xED; the part must be UTF-8", column: 7))
    }

    @Test func aControlCharacter() {
        #expect(
            failure("<t>\na\u{1}</t>") == Self.malformed(2, "control character U+0001 is not allowed in XML", column: 2))
    }

    @Test func aTruncatedDocument() {
        #expect(
            failure("<worksheet><row><c r=\"A1\"><v>1</v></c>")
                == Self.malformed(1, "premature end of data: <row> (line 1) is not closed", column: 39))
        #expect(failure("<worksheet><row><c r=\"A1") == Self.malformed(1, "the document ends inside markup", column: 25))
        #expect(failure("") == Self.malformed(1, "the document has no root element", column: 1))
    }

    @Test func contentOutsideTheRootElement() {
        #expect(failure("<a/><b/>") == Self.malformed(1, "extra content at the end of the document", column: 5))
        #expect(failure("<a/>text") == Self.malformed(1, "extra content at the end of the document", column: 5))
        #expect(failure("text<a/>") == Self.malformed(1, "start tag expected, '<' not found", column: 1))
    }

    @Test func otherMalformedMarkup() {
        #expect(failure("<a x='1' x='2'/>") == Self.malformed(1, "attribute x redefined", column: 10))
        #expect(failure("<a x='<'/>") == Self.malformed(1, "unescaped '<' not allowed in attribute values", column: 7))
        #expect(failure("<a>]]></a>") == Self.malformed(1, "sequence ']]>' not allowed in content", column: 4))
        #expect(failure("<a><!-- a -- b --></a>") == Self.malformed(1, "double hyphen within comment", column: 11))
        #expect(
            failure("<a x='1'y='2'/>")
                == Self.malformed(1, "attributes construct error in <a>: expected white space, '>' or '/>'", column: 9))
        #expect(
            failure("<a/><?xml version='1.0'?>")
                == Self.malformed(1, "XML declaration allowed only at the start of the document", column: 5))
    }

    @Test func aDoctypeIsRefused() {
        #expect(
            failure("<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY e \"x\">]><t>&e;</t>")
                == "t.xlsx[Data]:2: error: xl/worksheets/sheet1.xml has a document type declaration (<!DOCTYPE ...>), "
                + "which XLSX files never contain; it is refused because it could declare entities, save the workbook "
                + "again from a spreadsheet program")
    }

    @Test func aHugeTagIsRefused() {
        let document = "<t a='" + String(repeating: "x", count: XMLScanner.maximumMarkup) + "'/>"
        #expect(
            XMLEventRecorder.failure(Array(document.utf8), chunk: 4096)
                == Self.malformed(
                    1, "markup (a tag, comment or CDATA section) longer than 1048576 bytes", column: 1))
        #expect(
            XMLEventRecorder.failure(Array(document.utf8), chunk: Int.max)
                == Self.malformed(
                    1, "markup (a tag, comment or CDATA section) longer than 1048576 bytes", column: 1))
    }

    @Test func deepNestingIsRefused() {
        let document = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(failure(document) == Self.malformed(1, "elements nested more than 256 deep", column: 769))
        let shallow = String(repeating: "<a>", count: 256) + String(repeating: "</a>", count: 256)
        #expect(failure(shallow) == nil)
    }

    @Test func tooManyAttributesAreRefused() {
        let document = "<a " + (0...256).map { "a\($0)='1'" }.joined(separator: " ") + "/>"
        #expect(
            XMLEventRecorder.failure(Array(document.utf8), chunk: Int.max)
                == Self.malformed(1, "more than 256 attributes in <a>", column: 2198))
    }

    // MARK: Differential

    /// Every sheet of every XLSX member of `archive`: the rows read by libxml2 and by the scanner
    /// in chunks of each size are the same.
    static func compareSheets(in path: String, chunks: [Int]) throws -> Int {
        let archive = try ZipArchive(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), name: path)
        var sheets = 0
        for entry in archive.entries where entry.name.lowercased().hasSuffix(".xlsx") {
            let workbook = try XLSXWorkbook(bytes: try archive.contents(of: entry), location: entry.name)
            for sheet in workbook.sheetNames.indices {
                func rows(_ engine: XMLEngine, _ chunk: Int) throws -> [String] {
                    var rows: [String] = []
                    try workbook.readRows(sheet: sheet, engine: engine, chunkSize: chunk) { row in
                        let cells = (0..<row.count).map { "\(row.kind($0).rawValue):\(row.string($0))" }
                        rows.append("\(row.number)|" + cells.joined(separator: "|"))
                    }
                    return rows
                }
                let reference = try rows(.libxml2, 1 << 16)
                #expect(!reference.isEmpty, "\(entry.name) sheet \(sheet + 1)")
                for chunk in chunks {
                    let found = try rows(.scanner, chunk)
                    #expect(found == reference, "\(entry.name) sheet \(sheet + 1), chunks of \(chunk)")
                }
                sheets += 1
            }
        }
        return sheets
    }

    @Test(arguments: ["RVU25D.zip", "RVU26A.zip"])
    func theScannerReadsTheSampleSheetsAsLibXML2Does(_ release: String) throws {
        let sheets = try Self.compareSheets(in: "\(Golden.samples("releases"))/\(release)", chunks: Self.chunks)
        #expect(sheets >= 5)
    }

    @Test(.enabled(if: RealRelease.available, RealRelease.skipReason))
    func theScannerReadsRVU24BAsLibXML2Does() throws {
        let folder = try #require(RealRelease.folder)
        // Small chunks are covered on the samples; here an odd size moves every boundary.
        let sheets = try Self.compareSheets(in: "\(folder)/RVU24B.zip", chunks: [4093, Int.max])
        #expect(sheets >= 5)
    }
}
