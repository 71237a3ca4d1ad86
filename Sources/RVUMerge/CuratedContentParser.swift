import RVUCore
import Yams

/// Reads editors' YAML files into ``CuratedContent``, reporting problems as `file:line` errors.
///
/// A file is a mapping with `codes` (a list of entries) and/or `categories` (a list of category
/// notes):
///
/// ```yaml
/// codes:
///   - code: "99213"
///     title: Office visit, established patient, low complexity
///     also_known_as: [follow-up visit]
///     description: ...
///     plain_language: ...
///     clinical_context: ...
///     specialties: [Family Medicine]
///     modifier_notes: {"25": ...}        # optional
///     billing_notes: ...                 # optional, overrides the category's
///     documentation_notes: ...           # optional, overrides the category's
/// categories:
///   - category: dental
///     billing_notes: ...
///     documentation_notes: ...
/// ```
public enum CuratedContentParser {
    /// One file's name (relative to the curated folder) and text.
    public struct File: Sendable {
        public let name: String
        public let text: String

        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    static let entryKeys: Set<String> = [
        "code", "title", "also_known_as", "description", "plain_language", "clinical_context", "specialties",
        "modifier_notes", "billing_notes", "documentation_notes",
    ]
    static let requiredText = ["title", "description", "plain_language", "clinical_context"]
    static let categoryKeys: Set<String> = ["category", "billing_notes", "documentation_notes"]

    /// Parses every file; returns the content and the diagnostics (any error means the content
    /// must not be used).
    public static func parse(_ files: [File]) -> (CuratedContent, [Diagnostic]) {
        var content = CuratedContent()
        var diagnostics: [Diagnostic] = []
        var hasher = SHA256()
        for file in files.sorted(by: { $0.name < $1.name }) {
            hasher.update(Array(file.name.utf8) + [0] + Array(file.text.utf8) + [0])
            parse(file, into: &content, &diagnostics)
        }
        content.revision = hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return (content, diagnostics)
    }

    /// The problem a YAML error names, without the echoed source text.
    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            problem
        case .duplicatedKeysInMapping(let duplicates, _):
            "duplicate keys \(duplicates.joined(separator: ", "))"
        default:
            "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
        }
    }

    /// Where a YAML error points.
    private static func location(of error: YamlError, in file: File) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            SourceLocation(file: file.name, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            SourceLocation(file: file.name, line: context.mark.line, column: context.mark.column)
        default:
            SourceLocation(file: file.name)
        }
    }

    private static func location(_ file: File, _ node: Node?) -> SourceLocation {
        SourceLocation(file: file.name, line: node?.mark?.line, column: node?.mark?.column)
    }

    private static func parse(_ file: File, into content: inout CuratedContent, _ diagnostics: inout [Diagnostic]) {
        func error(_ code: String, _ message: String, _ node: Node?) {
            diagnostics.append(.error(code, message, at: location(file, node)))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: file.text)
        } catch let yamlError as YamlError {
            diagnostics.append(.error("curated-yaml", "not valid YAML: \(problem(of: yamlError))", at: location(of: yamlError, in: file)))
            return
        } catch {
            diagnostics.append(.error("curated-yaml", "not valid YAML: \(error)", at: SourceLocation(file: file.name)))
            return
        }
        guard let root else { return }  // An empty file.
        guard case .mapping(let top) = root else {
            error("curated-shape", "expected a mapping with 'codes' and/or 'categories'", root)
            return
        }
        for (keyNode, value) in top {
            switch keyNode.string {
            case "codes":
                guard case .sequence(let items) = value else {
                    error("curated-shape", "'codes' must be a list of entries", value)
                    continue
                }
                for item in items {
                    guard let entry = parseEntry(item, file, &diagnostics) else { continue }
                    if let previous = content.entries[entry.code] {
                        error("curated-duplicate", "code \(entry.code) is already curated at \(previous.location)", item)
                    } else {
                        content.entries[entry.code] = entry
                    }
                }
            case "categories":
                guard case .sequence(let items) = value else {
                    error("curated-shape", "'categories' must be a list of category notes", value)
                    continue
                }
                for item in items {
                    guard let notes = parseCategory(item, file, &diagnostics) else { continue }
                    if let previous = content.categories[notes.category] {
                        error("curated-duplicate", "category \(notes.category) already has notes at \(previous.location)", item)
                    } else {
                        content.categories[notes.category] = notes
                    }
                }
            default:
                error("curated-unknown-key", "unknown key '\(keyNode.string ?? "?")'; a file holds 'codes' and/or 'categories'", keyNode)
            }
        }
    }

    /// The mapping's keys and values, reporting unknown and repeated keys.
    private static func fields(
        _ node: Node, allowed: Set<String>, _ file: File, _ diagnostics: inout [Diagnostic], what: String
    ) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            diagnostics.append(.error("curated-shape", "each \(what) must be a mapping of keys to values", at: location(file, node)))
            return nil
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                diagnostics.append(
                    .error("curated-unknown-key", "unknown key '\(key)' in a \(what) (known: \(known))", at: location(file, keyNode)))
                continue
            }
            if values[key] != nil {
                diagnostics.append(.error("curated-duplicate-key", "key '\(key)' appears twice", at: location(file, keyNode)))
                continue
            }
            values[key] = value
        }
        return values
    }

    private static func text(_ node: Node?) -> String? {
        guard case .scalar(let scalar)? = node else { return nil }
        return scalar.string.trimmingSpaces
    }

    private static func list(_ node: Node?, _ key: String, _ file: File, _ diagnostics: inout [Diagnostic]) -> [String] {
        guard let node else { return [] }
        guard case .sequence(let items) = node else {
            diagnostics.append(.error("curated-shape", "'\(key)' must be a list", at: location(file, node)))
            return []
        }
        var values: [String] = []
        for item in items {
            guard let value = text(item), !value.isEmpty else {
                diagnostics.append(.error("curated-empty", "'\(key)' has an empty item", at: location(file, item)))
                continue
            }
            values.append(value)
        }
        return values
    }

    private static func parseEntry(_ node: Node, _ file: File, _ diagnostics: inout [Diagnostic]) -> CuratedEntry? {
        guard let values = fields(node, allowed: entryKeys, file, &diagnostics, what: "code entry") else { return nil }
        let errorsBefore = diagnostics.count
        guard let code = text(values["code"]), !code.isEmpty else {
            diagnostics.append(.error("curated-missing", "entry has no 'code'", at: location(file, node)))
            return nil
        }
        if CodeCategory.of(code) == nil {
            diagnostics.append(
                .error(
                    "curated-malformed-code",
                    "'\(code)' is not a HCPCS code (five characters: 99213, 0001F, 0042T, 0001U, D0386, G0105); quote codes with leading zeros",
                    at: location(file, values["code"])))
        }
        diagnostics += placeholderErrors(in: values, code: code, file)
        var required: [String: String] = [:]
        for key in requiredText {
            let value = text(values[key]) ?? ""
            if value.isEmpty {
                diagnostics.append(
                    .error(
                        "curated-empty", "\(code): '\(key)' is \(values[key] == nil ? "missing" : "empty")",
                        at: location(file, values[key] ?? node)))
            }
            required[key] = value
        }
        let specialties = list(values["specialties"], "specialties", file, &diagnostics)
        if specialties.isEmpty, values["specialties"] == nil {
            diagnostics.append(.error("curated-empty", "\(code): 'specialties' is missing", at: location(file, node)))
        }
        var modifierNotes: [String: String] = [:]
        if let notesNode = values["modifier_notes"] {
            if case .mapping(let mapping) = notesNode {
                for (key, value) in mapping {
                    guard let modifier = key.string?.trimmingSpaces, !modifier.isEmpty, let note = text(value), !note.isEmpty else {
                        diagnostics.append(.error("curated-empty", "\(code): a modifier note is empty", at: location(file, key)))
                        continue
                    }
                    modifierNotes[modifier] = note
                }
            } else {
                diagnostics.append(.error("curated-shape", "'modifier_notes' must map modifiers to notes", at: location(file, notesNode)))
            }
        }
        guard diagnostics.count == errorsBefore else { return nil }
        return CuratedEntry(
            code: code, title: required["title"] ?? "", alsoKnownAs: list(values["also_known_as"], "also_known_as", file, &diagnostics),
            description: required["description"] ?? "", plainLanguage: required["plain_language"] ?? "",
            clinicalContext: required["clinical_context"] ?? "", specialties: specialties, modifierNotes: modifierNotes,
            billingNotes: text(values["billing_notes"]), documentationNotes: text(values["documentation_notes"]),
            location: location(file, node))
    }

    private static func parseCategory(_ node: Node, _ file: File, _ diagnostics: inout [Diagnostic]) -> CategoryNotes? {
        guard let values = fields(node, allowed: categoryKeys, file, &diagnostics, what: "category note") else { return nil }
        guard let category = text(values["category"]), !category.isEmpty else {
            diagnostics.append(.error("curated-missing", "category note has no 'category'", at: location(file, node)))
            return nil
        }
        guard CodeCategory.knownIDs.contains(category) else {
            diagnostics.append(
                .error(
                    "curated-unknown-category",
                    "unknown category '\(category)' (known: \(CodeCategory.knownIDs.sorted().joined(separator: ", ")))",
                    at: location(file, values["category"])))
            return nil
        }
        let billing = text(values["billing_notes"])
        let documentation = text(values["documentation_notes"])
        if (billing ?? "").isEmpty, (documentation ?? "").isEmpty {
            diagnostics.append(
                .error("curated-empty", "category \(category) has neither billing_notes nor documentation_notes", at: location(file, node)))
            return nil
        }
        return CategoryNotes(category: category, billingNotes: billing, documentationNotes: documentation, location: location(file, node))
    }
}
