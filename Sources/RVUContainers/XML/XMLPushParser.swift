import CLibXML2
import RVUCore

/// A streaming XML reader on libxml2's SAX2 push parser: feed it chunks (``parse(_:)``), and
/// subclasses get the element and text events (``startElement(_:attributes:)``,
/// ``endElement(_:)``, ``characters(_:)``) with names and text as bytes, without allocating.
///
/// Safe for untrusted input: no network access, no DTD loading or validation, no entity
/// substitution, no `XML_PARSE_HUGE`, and a document type declaration is refused
/// (`xlsx-doctype`) before its internal subset, and so any entity declaration, is read.
/// An error thrown by an event handler stops the parser and is rethrown by ``parse(_:)``.
class XMLPushParser {
    /// Where diagnostics point: the XLSX member and, for a worksheet, the sheet.
    final let location: SourceLocation
    /// The package part being parsed (`xl/worksheets/sheet1.xml`), named in messages.
    final let part: String

    private final var context: xmlParserCtxtPtr?
    /// Read in every callback; see ``XLSXSheetParser`` on why its exclusivity check is off.
    @exclusivity(unchecked) private final var failure: (any Error)?
    private final var firstError: ParseError?
    private final var doctypeLine: Int?
    /// How many elements are open; see ``maximumDepth``.
    @exclusivity(unchecked) private final var depth = 0

    /// The deepest elements may nest. libxml2's own cap (256 without `XML_PARSE_HUGE`) is not
    /// applied by its push parser, and each open element costs memory, so it is applied here.
    static let maximumDepth = 256

    /// An error libxml2 reported: its message, where, and its code (`xmlParserErrors`).
    private struct ParseError {
        var message: String
        let line: Int
        let column: Int
        let code: Int32
    }

    init(location: SourceLocation, part: String) {
        self.location = location
        self.part = part
    }

    /// An element starts; `name` is its NUL-terminated local name (namespace prefix removed).
    func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) throws {}

    /// An element ends.
    func endElement(_ name: UnsafePointer<UInt8>) throws {}

    /// Text (possibly one piece of a longer text: libxml2 may split it anywhere).
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}

    /// The 1-based line the parser is at, for messages.
    final var currentLine: Int {
        guard let input = context?.pointee.input else { return 0 }
        return Int(input.pointee.line)
    }

    /// Parses one document. `source` calls its argument with successive chunks of the document
    /// (as ``ZipArchive/stream(_:chunkSize:_:)`` does); the end of `source` ends the document.
    final func parse(_ source: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        defer { end() }
        try begin()
        try withExtendedLifetime(self) {
            try source { chunk in try feed(chunk) }
            try finish()
        }
    }

    /// Creates the libxml2 push parser.
    private final func begin() throws {
        _ = XMLPushParser.libraryReady
        guard context == nil else { return }
        var handler = XMLPushParser.makeHandler()
        let user = Unmanaged.passUnretained(self).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&handler, user, nil, 0, nil) else {
            throw DiagnosticError(
                .xlsxMalformed, "libxml2 could not create a parser for \(part) (out of memory?)", at: location)
        }
        self.context = context
        // XML_PARSE_NONET only: no NOENT (entity substitution), no DTDLOAD/DTDATTR/DTDVALID, no HUGE.
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        context.pointee.replaceEntities = 0
        context.pointee.loadsubset = 0
        context.pointee.validate = 0
    }

    /// Gives libxml2 the next chunk.
    private final func feed(_ chunk: UnsafeRawBufferPointer) throws {
        guard let context else { return }
        var offset = 0
        while offset < chunk.count, let base = chunk.baseAddress {
            let count = min(chunk.count - offset, 1 << 24)
            let status = xmlParseChunk(context, (base + offset).assumingMemoryBound(to: CChar.self), Int32(count), 0)
            try check(status)
            offset += count
        }
    }

    /// Tells libxml2 that the document ended.
    private final func finish() throws {
        guard let context else { return }
        // libxml2 reports a document cut short inside an element as extra content at its end.
        let open = context.pointee.nameNr > 0 ? context.pointee.name.map { String(cString: $0) } : nil
        do {
            try check(xmlParseChunk(context, nil, 0, 1))
        } catch let error as DiagnosticError {
            guard let open, var parseError = firstError, parseError.code == Int32(XML_ERR_DOCUMENT_END.rawValue) else {
                throw error
            }
            parseError.message = "the document ends inside <\(open)>, which is not closed"
            throw malformed(parseError)
        }
    }

    /// Frees the libxml2 parser, if there is one.
    private final func end() {
        guard let context else { return }
        self.context = nil
        xmlFreeParserCtxt(context)
    }

    /// Throws what stopped the parser: a handler's error, a DOCTYPE, or malformed XML.
    private final func check(_ status: Int32) throws {
        if let failure { throw failure }
        if let doctypeLine {
            throw DiagnosticError(
                .xlsxDoctype,
                "\(part) has a document type declaration (<!DOCTYPE ...>), which XLSX files never contain; "
                    + "it is refused because it could declare entities, save the workbook again from a spreadsheet program",
                at: location.at(line: doctypeLine))
        }
        // A non-zero status alone may be a warning; an error was recorded, or the document is
        // no longer well-formed, when it is not.
        guard firstError != nil || (status != 0 && context?.pointee.wellFormed == 0) else { return }
        let error = firstError ?? lastError()
        if firstError == nil { firstError = error }
        throw malformed(error)
    }

    private final func malformed(_ error: ParseError) -> DiagnosticError {
        DiagnosticError(
            .xlsxMalformed,
            "malformed XML: \(error.message) (\(part), column \(error.column)); the workbook is damaged, download it again",
            at: location.at(line: error.line))
    }

    private final func lastError() -> ParseError {
        guard let context, let error = xmlCtxtGetLastError(UnsafeMutableRawPointer(context)) else {
            return ParseError(message: "the parser stopped", line: currentLine, column: 0, code: 0)
        }
        return XMLPushParser.describe(error.pointee)
    }

    /// An element starts: refused past ``maximumDepth``.
    @inline(__always)
    private final func enter() throws {
        depth += 1
        guard depth > XMLPushParser.maximumDepth else { return }
        let column = context?.pointee.input.map { Int($0.pointee.col) } ?? 0
        throw malformed(
            ParseError(
                message: "elements nested more than \(XMLPushParser.maximumDepth) deep", line: currentLine, column: column,
                code: 0))
    }

    /// Stops the parser after a handler threw; ``parse(_:)`` rethrows the error.
    private final func stop(with error: any Error) {
        if failure == nil { failure = error }
        if let context { xmlStopParser(context) }
    }

    private static func describe(_ error: xmlError) -> ParseError {
        var message = error.message.map { String(cString: $0) } ?? "unknown error \(error.code)"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        message = message.split(separator: "\n").joined(separator: "; ")
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isUppercase != true {
            message = first.lowercased() + message.dropFirst()
        }
        return ParseError(message: message, line: Int(error.line), column: Int(error.int2), code: error.code)
    }

    // MARK: The C callbacks

    private static let libraryReady: Void = xmlInitParser()

    /// Calls `body` with the parser whose address libxml2 passes back as its user data, without
    /// retaining it (``parse(_:)`` keeps it alive while libxml2 can call back).
    @inline(__always)
    private static func withParser(_ context: UnsafeMutableRawPointer, _ body: (XMLPushParser) -> Void) {
        Unmanaged<XMLPushParser>.fromOpaque(context)._withUnsafeGuaranteedRef(body)
    }

    private static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { context, localname, _, _, _, _, attributeCount, _, attributes in
            guard let context, let localname else { return }
            XMLPushParser.withParser(context) { parser in
                guard parser.failure == nil else { return }
                do {
                    try parser.enter()
                    try parser.startElement(localname, attributes: XMLAttributes(base: attributes, count: Int(attributeCount)))
                } catch {
                    parser.stop(with: error)
                }
            }
        }
        handler.endElementNs = { context, localname, _, _ in
            guard let context, let localname else { return }
            XMLPushParser.withParser(context) { parser in
                guard parser.failure == nil else { return }
                parser.depth -= 1
                do { try parser.endElement(localname) } catch { parser.stop(with: error) }
            }
        }
        let characters: charactersSAXFunc = { context, text, length in
            guard let context, let text, length > 0 else { return }
            XMLPushParser.withParser(context) { parser in
                guard parser.failure == nil else { return }
                do { try parser.characters(UnsafeBufferPointer(start: text, count: Int(length))) } catch {
                    parser.stop(with: error)
                }
            }
        }
        handler.characters = characters
        handler.cdataBlock = characters
        handler.ignorableWhitespace = characters
        // A DOCTYPE stops everything before its internal subset is read.
        handler.internalSubset = { context, _, _, _ in
            guard let context else { return }
            XMLPushParser.withParser(context) { parser in
                parser.doctypeLine = parser.currentLine
                if let parserContext = parser.context { xmlStopParser(parserContext) }
            }
        }
        // Belt and braces: nothing is ever declared or looked up (predefined entities such as
        // &amp; are resolved by libxml2 before these are asked).
        handler.entityDecl = { _, _, _, _, _, _ in }
        handler.getEntity = { _, _ in nil }
        handler.getParameterEntity = { _, _ in nil }
        handler.resolveEntity = { _, _, _ in nil }
        handler.serror = { _, error in
            // Parser and namespace errors carry the parser context, whose user data is ours.
            guard let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue,
                error.pointee.domain == Int32(XML_FROM_PARSER.rawValue)
                    || error.pointee.domain == Int32(XML_FROM_NAMESPACE.rawValue),
                let context = error.pointee.ctxt?.assumingMemoryBound(to: xmlParserCtxt.self),
                let user = context.pointee.userData
            else { return }
            XMLPushParser.withParser(user) { parser in
                if parser.firstError == nil { parser.firstError = XMLPushParser.describe(error.pointee) }
            }
        }
        return handler
    }
}

/// The attributes of a start tag, as libxml2 passes them: five pointers each (local name,
/// prefix, namespace URI, value start, value end); values are not NUL-terminated.
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The value of the attribute with local name `name` and no namespace prefix.
    @inline(__always)
    func value(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        for index in 0..<count {
            let field = base + index * 5
            guard let localname = field[0], field[1] == nil, localname.isName(name),
                let start = field[3], let end = field[4]
            else { continue }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// The values of two attributes, as ``value(_:)`` finds them, in one pass (a worksheet asks
    /// for a cell's `r` and `t` half a million times).
    @inline(__always)
    func values(_ first: StaticString, _ second: StaticString) -> (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) {
        var found: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) = (nil, nil)
        guard let base else { return found }
        for index in 0..<count {
            let field = base + index * 5
            guard let localname = field[0], field[1] == nil, let start = field[3], let end = field[4] else { continue }
            if found.0 == nil, localname.isName(first) {
                found.0 = UnsafeBufferPointer(start: start, count: end - start)
            } else if found.1 == nil, localname.isName(second) {
                found.1 = UnsafeBufferPointer(start: start, count: end - start)
            }
        }
        return found
    }

    /// Every attribute as text: local name, namespace URI, value. For small documents only.
    var all: [(name: String, namespace: String?, value: String)] {
        guard let base else { return [] }
        return (0..<count).compactMap { index in
            let field = base + index * 5
            guard let localname = field[0], let start = field[3], let end = field[4] else { return nil }
            return (
                String(cString: localname), field[2].map { String(cString: $0) },
                XMLAttributes.text(UnsafeBufferPointer(start: start, count: end - start))
            )
        }
    }

    /// An attribute value as text. Without entity substitution, libxml2 hands an `&` that the
    /// document wrote as `&amp;` or `&#38;` over as the five characters `&#38;` (and every
    /// other reference already decoded), so that sequence is turned back into `&` here.
    static func text(_ value: UnsafeBufferPointer<UInt8>) -> String {
        let escaped: [UInt8] = Array("&#38;".utf8)
        guard value.contains(0x26) else { return String(decoding: value, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.count)
        var index = 0
        while index < value.count {
            if value[index] == 0x26, value.count - index >= escaped.count,
                value[index..<index + escaped.count].elementsEqual(escaped)
            {
                bytes.append(0x26)
                index += escaped.count
            } else {
                bytes.append(value[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension UnsafePointer<UInt8> {
    /// True when this NUL-terminated name is exactly `literal`.
    @inline(__always)
    func isName(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        for index in 0..<count where self[index] != bytes[index] { return false }
        return self[count] == 0
    }
}
