import RVUCore

/// Collects the attributes of chosen elements of a small XML document (`xl/workbook.xml`,
/// `xl/_rels/workbook.xml.rels`), as text. Not for large parts: it makes strings.
final class XMLElementCollector: XMLPushParser {
    /// One collected element.
    struct Element {
        /// The element's local name.
        let name: String
        /// Its attributes: local name, namespace URI (nil without a prefix), value.
        let attributes: [(name: String, namespace: String?, value: String)]

        /// The value of the unprefixed attribute `name`.
        func value(_ name: String) -> String? {
            attributes.first { $0.name == name && $0.namespace == nil }?.value
        }
    }

    private let names: Set<String>
    private(set) var elements: [Element] = []

    /// A collector of the elements whose local name is in `names`.
    init(location: SourceLocation, part: String, names: Set<String>) {
        self.names = names
        super.init(location: location, part: part)
    }

    override func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) throws {
        let name = String(cString: name)
        if names.contains(name) { elements.append(Element(name: name, attributes: attributes.all)) }
    }
}
