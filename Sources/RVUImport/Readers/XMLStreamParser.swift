import CLibXML2
import RVUCore

/// What an ``XMLStreamParser`` reports: element starts and ends, and character data.
/// Names are compared as bytes (no String per element); attribute values are handed over raw.
protocol XMLStreamHandler: AnyObject {
    /// An element starts. `attributes` holds, per attribute, five pointers: local name, prefix,
    /// URI, value start and value end (libxml2's SAX2 layout).
    func startElement(_ name: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int)
    func endElement(_ name: UnsafePointer<UInt8>)
    func characters(_ bytes: UnsafeBufferPointer<UInt8>)
    /// An error to report instead of continuing; set by the handler to stop the parse.
    var failure: (any Error)? { get set }
}

/// A streaming (push) XML parser on libxml2's SAX2 interface, with safe options: entities are never
/// substituted (`XML_PARSE_NOENT` is not set), nothing is loaded from the network
/// (`XML_PARSE_NONET`), no DTD is loaded, and any document type declaration is refused (XLSX
/// parts never have one), so entity expansion cannot happen.
final class XMLStreamParser {
    private var context: xmlParserCtxtPtr?
    private let box: Box
    private let location: SourceLocation

    /// Holds the handler for the C callbacks.
    final class Box {
        let handler: any XMLStreamHandler
        var sawDoctype = false
        init(_ handler: any XMLStreamHandler) { self.handler = handler }
    }

    init(handler: any XMLStreamHandler, location: SourceLocation) {
        box = Box(handler)
        self.location = location
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { context, localname, _, _, _, _, count, _, attributes in
            guard let context, let localname else { return }
            let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
            guard box.handler.failure == nil else { return }
            box.handler.startElement(localname, attributes: attributes, count: Int(count))
        }
        sax.endElementNs = { context, localname, _, _ in
            guard let context, let localname else { return }
            let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
            guard box.handler.failure == nil else { return }
            box.handler.endElement(localname)
        }
        let characters: charactersSAXFunc = { context, bytes, length in
            guard let context, let bytes, length > 0 else { return }
            let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
            guard box.handler.failure == nil else { return }
            box.handler.characters(UnsafeBufferPointer(start: bytes, count: Int(length)))
        }
        sax.characters = characters
        sax.cdataBlock = characters
        sax.internalSubset = { context, _, _, _ in
            guard let context else { return }
            Unmanaged<Box>.fromOpaque(context).takeUnretainedValue().sawDoctype = true
        }
        sax.entityDecl = { context, _, _, _, _, _ in
            guard let context else { return }
            Unmanaged<Box>.fromOpaque(context).takeUnretainedValue().sawDoctype = true
        }
        let opaque = Unmanaged.passUnretained(box).toOpaque()
        context = xmlCreatePushParserCtxt(&sax, opaque, nil, 0, nil)
        if let context {
            xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        }
    }

    deinit {
        if let context {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            xmlFreeParserCtxt(context)
        }
    }

    /// Feeds the next bytes of the document.
    func feed(_ bytes: UnsafeRawBufferPointer, final: Bool = false) throws {
        guard let context else {
            throw DiagnosticError("xlsx-malformed", "cannot create an XML parser", at: location)
        }
        let status = bytes.withMemoryRebound(to: CChar.self) { chars in
            xmlParseChunk(context, chars.baseAddress, Int32(chars.count), final ? 1 : 0)
        }
        if box.sawDoctype {
            xmlStopParser(context)
            throw DiagnosticError(
                "xlsx-doctype",
                "the XML part has a document type declaration; XLSX parts never do, and its entities are not expanded: refusing the file",
                at: location.at(line: Int(xmlSAX2GetLineNumber(context))))
        }
        if let failure = box.handler.failure {
            xmlStopParser(context)
            throw failure
        }
        if status != 0 {
            var message = "not well-formed XML"
            if let error = xmlCtxtGetLastError(context), let text = error.pointee.message {
                message = String(cString: text).trimmingSpaces
            }
            throw DiagnosticError("xlsx-malformed", "malformed XML: \(message)", at: location.at(line: Int(xmlSAX2GetLineNumber(context))))
        }
    }

    /// Ends the document (reports an unclosed element, for example).
    func finish() throws {
        try feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true)
    }
}

/// Byte comparisons of element names.
enum XMLName {
    @inline(__always)
    static func equals(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        for index in 0..<count where name[index] != bytes[index] { return false }
        return name[count] == 0
    }

    /// The value of the attribute with this local name (and, when given, this prefix), or nil.
    static func attribute(
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int, _ name: StaticString
    ) -> UnsafeBufferPointer<UInt8>? {
        guard let attributes else { return nil }
        for index in 0..<count {
            guard let localName = attributes[index * 5], equals(localName, name), let start = attributes[index * 5 + 3],
                let end = attributes[index * 5 + 4]
            else { continue }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// The attribute's value as a String.
    static func string(
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int, _ name: StaticString
    ) -> String? {
        attribute(attributes, count: count, name).map { String(decoding: $0, as: UTF8.self) }
    }
}
