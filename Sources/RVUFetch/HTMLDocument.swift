import CLibXML2
import Foundation
import RVUCore

/// What the fetcher needs from an HTML page: its title, its links and its forms, with every
/// address resolved against the page's URL.
///
/// Parsed with libxml2's HTML parser, forgiving as browsers are, with network access off
/// (`HTML_PARSE_NONET`) and no entity substitution; errors and warnings about the markup are
/// not reported (`HTML_PARSE_NOERROR`, `HTML_PARSE_NOWARNING`).
package struct HTMLDocument: Sendable {
    /// An `<a href>` link.
    package struct Link: Sendable, Hashable {
        /// The link's text, spaces collapsed.
        package let text: String
        /// The address resolved against the page.
        package let url: URL
    }

    /// A `<form>` with its fields and buttons.
    package struct Form: Sendable, Hashable {
        /// The resolved `action` (the page itself when it has none).
        package let action: URL
        /// `GET` or `POST`.
        package let method: String
        /// Named `<input>` fields other than buttons, with their values (hidden ones included).
        package let fields: [Field]
        /// Submit buttons: `<button>` and `<input type=submit>`.
        package let buttons: [Field]
    }

    /// A name and value, with the label a reader sees (a button's text or value).
    package struct Field: Sendable, Hashable {
        /// The `name` attribute, if any.
        package let name: String?
        /// The `value` attribute (empty when absent).
        package let value: String
        /// What a reader sees: a button's text, else its value.
        package let label: String
    }

    /// The page's `<title>`, spaces collapsed.
    package let title: String
    /// The `<a href>` links with an http or https address, in page order.
    package let links: [Link]
    /// The forms, in page order.
    package let forms: [Form]

    /// Parses `bytes` as the HTML page found at `url`.
    package init(bytes: [UInt8], url: URL) throws(DiagnosticError) {
        _ = HTMLDocument.libraryReady
        let options = Int32(
            HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_RECOVER.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    htmlReadMemory($0, Int32(clamping: buffer.count), url.absoluteString, nil, options)
                }
            }
        }
        guard let document else {
            throw DiagnosticError(
                .pageUnreadable, "the page is empty or cannot be read as HTML; check the URL (--cms-url)",
                at: SourceLocation(file: url.absoluteString))
        }
        defer { xmlFreeDoc(document) }
        var walker = Walker(base: url)
        if let root = xmlDocGetRootElement(document) { walker.visit(root) }
        title = walker.title
        links = walker.links
        forms = walker.forms
    }

    private static let libraryReady: Void = xmlInitParser()

    /// Collects links and forms in document order.
    private struct Walker {
        let base: URL
        var title = ""
        var links: [Link] = []
        var forms: [Form] = []

        init(base: URL) { self.base = base }

        mutating func visit(_ node: xmlNodePtr) {
            var child: xmlNodePtr? = node
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    element(current)
                }
                child = current.pointee.next
            }
        }

        mutating func element(_ node: xmlNodePtr) {
            switch HTMLDocument.name(of: node) {
            case "title":
                if title.isEmpty { title = HTMLDocument.text(of: node) }
            case "a":
                if let href = HTMLDocument.attribute("href", of: node), let url = resolve(href) {
                    links.append(Link(text: HTMLDocument.text(of: node), url: url))
                }
            case "form":
                forms.append(form(node))
            default:
                break
            }
            if let children = node.pointee.children { visit(children) }
        }

        /// A form and the fields and buttons inside it.
        func form(_ node: xmlNodePtr) -> Form {
            var fields: [Field] = []
            var buttons: [Field] = []
            func collect(_ first: xmlNodePtr?) {
                var child = first
                while let current = child {
                    if current.pointee.type == XML_ELEMENT_NODE {
                        let name = HTMLDocument.attribute("name", of: current)
                        let value = HTMLDocument.attribute("value", of: current) ?? ""
                        switch HTMLDocument.name(of: current) {
                        case "input":
                            let type = (HTMLDocument.attribute("type", of: current) ?? "text").lowercased()
                            if type == "submit" || type == "button" {
                                buttons.append(Field(name: name, value: value, label: value))
                            } else if name != nil, type != "checkbox" || HTMLDocument.attribute("checked", of: current) != nil {
                                fields.append(Field(name: name, value: value, label: value))
                            }
                        case "button":
                            let type = (HTMLDocument.attribute("type", of: current) ?? "submit").lowercased()
                            if type == "submit" {
                                buttons.append(Field(name: name, value: value, label: HTMLDocument.text(of: current)))
                            }
                        default:
                            collect(current.pointee.children)
                        }
                    }
                    child = current.pointee.next
                }
            }
            collect(node.pointee.children)
            let action = HTMLDocument.attribute("action", of: node).flatMap(resolve) ?? base
            let method = (HTMLDocument.attribute("method", of: node) ?? "get").uppercased() == "POST" ? "POST" : "GET"
            return Form(action: action, method: method, fields: fields, buttons: buttons)
        }

        /// An address resolved against the page; nil for fragments, `javascript:` and `mailto:`.
        func resolve(_ href: String) -> URL? {
            let trimmed = href.trimmingSpaces
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            guard let url = URL(string: trimmed, relativeTo: base)?.absoluteURL, ["http", "https"].contains(url.scheme?.lowercased())
            else { return nil }
            return url
        }
    }

    /// An element's lowercase name.
    static func name(of node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    // libxml2's strings are released with free(): its xmlFree is a mutable global that Swift 6
    // cannot read safely, and this program never installs another allocator.

    /// An attribute's value, if present.
    static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { free(value) }
        return String(cString: value)
    }

    /// The text inside an element, spaces collapsed.
    static func text(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { free(content) }
        return String(cString: content).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
