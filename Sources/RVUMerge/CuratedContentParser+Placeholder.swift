import RVUCore
import Yams

extension CuratedContentParser {
    /// The word `rvuimport curated scaffold` writes where editors must write text; a value that
    /// is still this word is an error, so a stub is never published.
    package static let placeholder = "TODO"

    /// The text keys every entry must have, in the order a stub lists them (`specialties`, a
    /// list, follows them).
    package static var requiredTextKeys: [String] { requiredText }

    /// An error for every value of an entry's fields (text, list item, modifier note) that is
    /// still the placeholder, at the value's line and column, in the order of the text.
    static func placeholderErrors(in values: [String: Node], code: String, _ file: File) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func visit(_ node: Node, _ key: String) {
            switch node {
            // Only a short value can be the word with spaces around it: longer text is not
            // trimmed, which keeps the check cheap on a full-size corpus.
            case .scalar(let scalar) where scalar.string.utf8.count <= 64 && scalar.string.trimmingSpaces == placeholder:
                errors.append(
                    .error(
                        .curatedPlaceholder, "\(code): '\(key)' is still the placeholder \(placeholder); write the text",
                        at: SourceLocation(file: file.name, line: node.mark?.line, column: node.mark?.column)))
            case .sequence(let items): items.forEach { visit($0, key) }
            case .mapping(let pairs): pairs.forEach { visit($0.value, key) }
            default: break
            }
        }
        for (key, node) in values where key != "code" { visit(node, key) }
        return errors.sorted { ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0) }
    }
}
