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
    /// One file's name (relative to the curated folder) and text, or why it was not read.
    public struct File: Sendable {
        public let name: String
        public let text: String
        /// The error that kept the file from being read (too large, not UTF-8): reported in its
        /// place among the other files' diagnostics, so that one run names every problem.
        public let refusal: Diagnostic?

        public init(name: String, text: String) {
            self.name = name
            self.text = text
            self.refusal = nil
        }

        /// A file that was not read, and why.
        public init(name: String, refusal: Diagnostic) {
            self.name = name
            self.text = ""
            self.refusal = refusal
        }
    }

    static let entryKeys: Set<String> = [
        "code", "title", "also_known_as", "description", "plain_language", "clinical_context", "specialties",
        "modifier_notes", "billing_notes", "documentation_notes",
    ]
    static let requiredText = ["title", "description", "plain_language", "clinical_context"]
    static let categoryKeys: Set<String> = ["category", "billing_notes", "documentation_notes"]
    /// How YAML spells "no value" in a plain (unquoted, untagged) scalar.
    static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]
    /// The tags a text field may carry: none, the non-specific `!` and `!!str` (a quoted scalar's).
    static let textTags: Set<String> = ["", "!", Tag.Name.str.rawValue]

    /// What one file holds, in the order written: entries, category notes and diagnostics.
    enum Item: Sendable {
        case entry(CuratedEntry)
        case category(CategoryNotes)
        case diagnostic(Diagnostic)
    }

    /// Parses every file, the files on every core; returns the content and the diagnostics, in
    /// the files' name order (any error means the content must not be used).
    public static func parse(_ files: [File], limits: CuratedLimits = CuratedLimits()) -> (CuratedContent, [Diagnostic]) {
        parse(files, limits: limits, concurrently: true)
    }

    /// The same, one file after the other when `concurrently` is false (the plain way, which
    /// `CuratedParallelTests` compares with), and every file through Yams when `fast` is false
    /// (which `CuratedFastReaderTests` compares with).
    package static func parse(
        _ files: [File], limits: CuratedLimits, concurrently: Bool, fast: Bool = true
    ) -> (CuratedContent, [Diagnostic]) {
        let sorted = files.sorted { $0.name < $1.name }
        let parsed =
            concurrently
            ? ConcurrentMap.map(sorted, cost: { $0.text.utf8.count }) { parseFile($0, limits: limits, fast: fast) }
            : sorted.map { parseFile($0, limits: limits, fast: fast) }
        var content = CuratedContent()
        var diagnostics: [Diagnostic] = []
        for item in parsed.joined() {
            switch item {
            case .diagnostic(let diagnostic):
                diagnostics.append(diagnostic)
            case .entry(let entry):
                if let previous = content.entries[entry.code] {
                    diagnostics.append(
                        .error(.curatedDuplicate, "code \(entry.code) is already curated at \(previous.location)", at: entry.location))
                } else {
                    content.entries[entry.code] = entry
                }
            case .category(let notes):
                if let previous = content.categories[notes.category] {
                    diagnostics.append(
                        .error(
                            .curatedDuplicate, "category \(notes.category) already has notes at \(previous.location)",
                            at: notes.location))
                } else {
                    content.categories[notes.category] = notes
                }
            }
        }
        content.revision = revision(of: sorted)
        return (content, diagnostics)
    }

    /// Whether ``CuratedFastReader`` reads `file` (else it goes through Yams).
    package static func isReadFast(_ file: File, limits: CuratedLimits = CuratedLimits()) -> Bool {
        CuratedFastReader.read(file, limits: limits) != nil
    }

    /// SHA-256 over the files' names and bytes, each followed by a zero byte, in name order.
    private static func revision(of files: [File]) -> String {
        var hasher = SHA256()
        for file in files {
            var name = file.name
            var text = file.text
            name.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
            hasher.update([0])
            text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
            hasher.update([0])
        }
        return hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
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

    /// One file's entries, category notes and diagnostics: through ``CuratedFastReader`` when
    /// `fast` and the file is within its subset with nothing to report, else through Yams (the
    /// plain way, which `CuratedFastReaderTests` compares with).
    static func parseFile(_ file: File, limits: CuratedLimits, fast: Bool = true) -> [Item] {
        var items: [Item] = []
        func error(_ code: DiagnosticCode, _ message: String, _ node: Node?) {
            items.append(.diagnostic(.error(code, message, at: location(file, node))))
        }
        if let refusal = file.refusal { return [.diagnostic(refusal)] }
        let size = file.text.utf8.count
        guard size <= limits.maximumFileBytes else {
            let limit = ImportLimits.describe(bytes: limits.maximumFileBytes)
            let message = "the file is \(size) bytes, more than the limit of \(limit); split it into smaller files"
            return [.diagnostic(.error(.curatedFileTooLarge, message, at: SourceLocation(file: file.name)))]
        }
        if fast, let read = CuratedFastReader.read(file, limits: limits) { return read }
        let root: Node?
        do {
            // The basic resolver reads every untagged scalar as text: the parser decides what a
            // null is, and no key goes through the default resolver's regular expressions.
            root = try Yams.compose(yaml: file.text, .basic)
        } catch let yamlError as YamlError {
            return [.diagnostic(.error(.curatedYaml, "not valid YAML: \(problem(of: yamlError))", at: location(of: yamlError, in: file)))]
        } catch {
            return [.diagnostic(.error(.curatedYaml, "not valid YAML: \(error)", at: SourceLocation(file: file.name)))]
        }
        guard let root else { return [] }  // An empty file.
        guard case .mapping(let top) = root else {
            error(.curatedShape, "expected a mapping with 'codes' and/or 'categories'", root)
            return items
        }
        for (keyNode, value) in top {
            switch keyNode.string {
            case "codes":
                guard case .sequence(let entries) = value else {
                    error(.curatedShape, "'codes' must be a list of entries", value)
                    continue
                }
                for node in entries {
                    var found: [Diagnostic] = []
                    let entry = parseEntry(node, file, limits, &found)
                    items += found.map(Item.diagnostic)
                    if let entry { items.append(.entry(entry)) }
                }
            case "categories":
                guard case .sequence(let notes) = value else {
                    error(.curatedShape, "'categories' must be a list of category notes", value)
                    continue
                }
                for node in notes {
                    var found: [Diagnostic] = []
                    let category = parseCategory(node, file, limits, &found)
                    items += found.map(Item.diagnostic)
                    if let category { items.append(.category(category)) }
                }
            default:
                error(.curatedUnknownKey, "unknown key '\(keyNode.string ?? "?")'; a file holds 'codes' and/or 'categories'", keyNode)
            }
        }
        return items
    }

    /// The mapping's keys and values, reporting unknown and repeated keys.
    private static func fields(
        _ node: Node, allowed: Set<String>, _ file: File, _ diagnostics: inout [Diagnostic], what: String
    ) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            diagnostics.append(.error(.curatedShape, "each \(what) must be a mapping of keys to values", at: location(file, node)))
            return nil
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                diagnostics.append(
                    .error(.curatedUnknownKey, "unknown key '\(key)' in a \(what) (known: \(known))", at: location(file, keyNode)))
                continue
            }
            if values[key] != nil {
                diagnostics.append(.error(.curatedDuplicateKey, "key '\(key)' appears twice", at: location(file, keyNode)))
                continue
            }
            values[key] = value
        }
        return values
    }

    /// `!!binary` for a tag of YAML's own, else the tag as written.
    private static func shortTag(_ name: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return name.hasPrefix(prefix) ? "!!" + name.dropFirst(prefix.count) : name
    }

    /// The text of a field, trimmed; nil after an error saying why when the value is not text:
    /// null or empty (`~`, `null`, nothing, `""`), a list or a mapping, a scalar with a tag other
    /// than text's (`!!binary`, `!!int`), or longer than the limit. `field` names the field in
    /// messages (`99213: 'title'`); `advice` says what to do about an empty one.
    private static func text(
        _ node: Node, _ field: @autoclosure () -> String, advice: @autoclosure () -> String, _ file: File, _ limits: CuratedLimits,
        oneLine: Bool = false, _ diagnostics: inout [Diagnostic]
    ) -> String? {
        // The messages are only built for an error: this runs for every value of the corpus.
        func error(_ code: DiagnosticCode, _ message: String) -> String? {
            diagnostics.append(.error(code, message, at: location(file, node)))
            return nil
        }
        let scalar: Node.Scalar
        switch node {
        case .scalar(let value): scalar = value
        case .mapping: return error(.curatedShape, "\(field()) must be text, not a mapping")
        case .sequence: return error(.curatedShape, "\(field()) must be text, not a list")
        case .alias: return error(.curatedShape, "\(field()) must be text")
        }
        let raw = scalar.string
        let tag = scalar.tag.description
        guard tag.isEmpty || textTags.contains(tag) else {
            return error(.curatedTag, "\(field()) is tagged \(shortTag(tag)), not text; remove the tag and write the text")
        }
        if tag.isEmpty, scalar.style == .plain, raw.utf8.count <= 4, nullSpellings.contains(raw) {
            let what = raw.isEmpty ? "has no value" : "is null ('\(raw)')"
            return error(.curatedEmpty, "\(field()) \(what); \(advice())")
        }
        let size = raw.utf8.count
        guard size <= limits.maximumTextBytes else {
            let limit = ImportLimits.describe(bytes: limits.maximumTextBytes)
            return error(.curatedTooLong, "\(field()) is \(size) bytes, more than the limit of \(limit); shorten it")
        }
        let value = trimmed(raw)
        guard !value.isEmpty else { return error(.curatedEmpty, "\(field()) is empty; \(advice())") }
        if let character = forbiddenCharacter(in: value, oneLine: oneLine) {
            let hex = String(character.value, radix: 16, uppercase: true)
            let name = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return oneLine && isLineBreakOrTab(character)
                ? error(.curatedCharacter, "\(field()) holds a line break or tab (\(name)); write it on one line")
                : error(.curatedCharacter, "\(field()) holds the character \(name), which text may not; remove it")
        }
        return value
    }

    /// The first character `value` may not hold: a control character other than a tab or a line
    /// feed, or a noncharacter, in any text (a NUL or a bell from a `"\0"` or `"\a"` escape);
    /// in a one-line field (a code, a title, a synonym, a specialty, a modifier, a category)
    /// also a tab or a line break of any kind (a title written as a block scalar, `title: |`).
    static func forbiddenCharacter(in value: String, oneLine: Bool) -> Unicode.Scalar? {
        // Most text is printable ASCII: only the rest is looked at by character.
        if value.utf8.allSatisfy({ (0x20...0x7E).contains($0) || (!oneLine && ($0 == 0x0A || $0 == 0x09)) }) { return nil }
        return value.unicodeScalars.first { scalar in
            if isLineBreakOrTab(scalar) { return oneLine }
            return scalar.properties.generalCategory == .control || scalar.properties.isNoncharacterCodePoint
        }
    }

    /// A tab, or a character some YAML reader breaks lines on (LF, CR, NEL, U+2028, U+2029).
    static func isLineBreakOrTab(_ scalar: Unicode.Scalar) -> Bool {
        [0x09, 0x0A, 0x0D, 0x85, 0x2028, 0x2029].contains(scalar.value)
    }

    /// The text without spaces, tabs and line breaks around it; copied only when it has some
    /// (most values have none).
    static func trimmed(_ raw: String) -> String {
        func isSpace(_ byte: UInt8?) -> Bool { byte.map { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } ?? true }
        return isSpace(raw.utf8.first) || isSpace(raw.utf8.last) ? raw.trimmingSpaces : raw
    }

    /// The items of a list of text, each kept once (a repeat is a warning).
    private static func list(
        _ node: Node?, _ key: String, code: String, _ file: File, _ limits: CuratedLimits, _ diagnostics: inout [Diagnostic]
    ) -> [String] {
        guard let node else { return [] }
        guard case .sequence(let items) = node else {
            if case .scalar(let scalar) = node, scalar.style == .plain, nullSpellings.contains(scalar.string) {
                diagnostics.append(
                    .error(
                        .curatedEmpty, "\(code): '\(key)' has no value; write a list such as [First, Second]", at: location(file, node)))
            } else {
                diagnostics.append(.error(.curatedShape, "\(code): '\(key)' must be a list", at: location(file, node)))
            }
            return []
        }
        guard items.count <= limits.maximumListItems else {
            diagnostics.append(
                .error(
                    .curatedTooMany,
                    "\(code): '\(key)' has \(items.count) items, more than the limit of \(limits.maximumListItems); keep those readers need",
                    at: location(file, node)))
            return []
        }
        var values: [String] = []
        var seen: Set<String> = []
        for item in items {
            guard
                let value = text(item, "\(code): an item of '\(key)'", advice: "remove the item", file, limits, oneLine: true, &diagnostics)
            else {
                continue
            }
            guard seen.insert(value).inserted else {
                diagnostics.append(
                    .warning(.curatedRepeated, "\(code): '\(key)' repeats \"\(value)\"; it is kept once", at: location(file, item)))
                continue
            }
            values.append(value)
        }
        return values
    }

    /// The notes per modifier of an entry.
    private static func modifierNotes(
        _ node: Node, code: String, _ file: File, _ limits: CuratedLimits, _ diagnostics: inout [Diagnostic]
    ) -> [String: String] {
        guard case .mapping(let mapping) = node else {
            diagnostics.append(.error(.curatedShape, "\(code): 'modifier_notes' must map modifiers to notes", at: location(file, node)))
            return [:]
        }
        guard mapping.count <= limits.maximumListItems else {
            diagnostics.append(
                .error(
                    .curatedTooMany,
                    "\(code): 'modifier_notes' has \(mapping.count) items, more than the limit of \(limits.maximumListItems)",
                    at: location(file, node)))
            return [:]
        }
        var notes: [String: String] = [:]
        for (key, value) in mapping {
            let modifier = text(
                key, "\(code): a modifier of 'modifier_notes'", advice: "write the modifier", file, limits, oneLine: true, &diagnostics)
            let note = text(
                value, "\(code): the note of modifier \(modifier ?? "?")", advice: "write the note or remove the modifier", file, limits,
                &diagnostics)
            if let modifier, let note { notes[modifier] = note }
        }
        return notes
    }

    private static func parseEntry(_ node: Node, _ file: File, _ limits: CuratedLimits, _ diagnostics: inout [Diagnostic]) -> CuratedEntry?
    {
        guard let values = fields(node, allowed: entryKeys, file, &diagnostics, what: "code entry") else { return nil }
        let start = diagnostics.count
        guard let codeNode = values["code"] else {
            diagnostics.append(.error(.curatedMissing, "entry has no 'code'", at: location(file, node)))
            return nil
        }
        guard let code = text(codeNode, "'code'", advice: "write the code, quoted (\"0001F\")", file, limits, oneLine: true, &diagnostics)
        else {
            return nil
        }
        if CodeCategory.of(code) == nil {
            diagnostics.append(
                .error(
                    .curatedMalformedCode,
                    "'\(code)' is not a HCPCS code (five characters: 99213, 0001F, 0042T, 0001U, D0386, G0105); quote codes with leading zeros",
                    at: location(file, codeNode)))
        }
        diagnostics += placeholderErrors(in: values, code: code, file)
        var required: [String: String] = [:]
        for key in requiredText {
            guard let valueNode = values[key] else {
                diagnostics.append(.error(.curatedEmpty, "\(code): '\(key)' is missing", at: location(file, node)))
                continue
            }
            required[key] = text(
                valueNode, "\(code): '\(key)'", advice: "write the text", file, limits, oneLine: key == "title", &diagnostics)
        }
        let specialties = list(values["specialties"], "specialties", code: code, file, limits, &diagnostics)
        if values["specialties"] == nil {
            diagnostics.append(.error(.curatedEmpty, "\(code): 'specialties' is missing", at: location(file, node)))
        }
        let synonyms = list(values["also_known_as"], "also_known_as", code: code, file, limits, &diagnostics)
        let modifiers = values["modifier_notes"].map { modifierNotes($0, code: code, file, limits, &diagnostics) } ?? [:]
        var notes: [String: String] = [:]
        for key in ["billing_notes", "documentation_notes"] {
            guard let valueNode = values[key] else { continue }
            notes[key] = text(
                valueNode, "\(code): '\(key)'", advice: "omit the key to use the category's notes", file, limits, &diagnostics)
        }
        guard !diagnostics[start...].containsError else { return nil }
        return CuratedEntry(
            code: code, title: required["title"] ?? "", alsoKnownAs: synonyms, description: required["description"] ?? "",
            plainLanguage: required["plain_language"] ?? "", clinicalContext: required["clinical_context"] ?? "",
            specialties: specialties, modifierNotes: modifiers, billingNotes: notes["billing_notes"],
            documentationNotes: notes["documentation_notes"], location: location(file, node))
    }

    private static func parseCategory(
        _ node: Node, _ file: File, _ limits: CuratedLimits, _ diagnostics: inout [Diagnostic]
    ) -> CategoryNotes? {
        guard let values = fields(node, allowed: categoryKeys, file, &diagnostics, what: "category note") else { return nil }
        guard let categoryNode = values["category"] else {
            diagnostics.append(.error(.curatedMissing, "category note has no 'category'", at: location(file, node)))
            return nil
        }
        let advice = "write a category id such as dental"
        guard let category = text(categoryNode, "'category'", advice: advice, file, limits, oneLine: true, &diagnostics) else { return nil }
        guard CodeCategory.knownIDs.contains(category) else {
            diagnostics.append(
                .error(
                    .curatedUnknownCategory,
                    "unknown category '\(category)' (known: \(CodeCategory.knownIDs.sorted().joined(separator: ", ")))",
                    at: location(file, categoryNode)))
            return nil
        }
        var notes: [String: String] = [:]
        var failed = false
        for key in ["billing_notes", "documentation_notes"] {
            guard let valueNode = values[key] else { continue }
            let value = text(
                valueNode, "category \(category): '\(key)'", advice: "write the notes or omit the key", file, limits, &diagnostics)
            notes[key] = value
            failed = failed || value == nil
        }
        guard !failed else { return nil }
        if notes.isEmpty {
            diagnostics.append(
                .error(.curatedEmpty, "category \(category) has neither billing_notes nor documentation_notes", at: location(file, node)))
            return nil
        }
        return CategoryNotes(
            category: category, billingNotes: notes["billing_notes"], documentationNotes: notes["documentation_notes"],
            location: location(file, node))
    }
}
