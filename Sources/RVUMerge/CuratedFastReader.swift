import RVUCore

/// Reads a curated file written in the plain subset of YAML the house format uses, straight into
/// entries and category notes, without building a YAML node tree: Yams' tree was about a third
/// of a whole import of RVU24B with its full curated corpus (see docs/performance.md).
///
/// It accepts only what it is sure of and **declines** (returns nil) on anything else, and on
/// any file that would give a diagnostic; a declined file goes through the Yams path
/// (``CuratedContentParser/parseFile(_:limits:fast:)``), so every error and warning, with its
/// line and column, comes from there. `CuratedFastReaderTests` checks both paths agree on
/// Samples, a generated corpus and hostile inputs.
///
/// The subset: `codes:` and `categories:` at column 0, each a block list of mappings (`- key:`,
/// one space after the dash); keys of the known names once each; values that are a plain
/// scalar on one line, a single- or double-quoted scalar on one line (escapes `\"` and `\\`
/// only), a block scalar (`|` `>` with `-` or `+`) whose lines all have the same indentation and
/// no trailing spaces, a flow list `[a, 'b', "c"]` on one line, a block list of such scalars
/// indented under its key, and `modifier_notes` as a block mapping of such scalars; comments
/// and empty lines. Declined among others: tabs, CR, other control or non-printable
/// characters, a byte order mark, lines of spaces alone, anchors, aliases, tags, flow
/// mappings, multi-line plain or quoted scalars, a `:` or `#` where YAML could read more
/// structure, any other indentation, duplicate keys, null, empty or placeholder values,
/// repeats, unknown codes or categories and values over the limits.
struct CuratedFastReader {
    private struct Decline: Error {}

    private struct Line {
        var start: Int
        var end: Int
        var indent: Int
        var hasBreak: Bool
    }

    private struct Scalar {
        var text: String
        var plain: Bool
    }

    private enum Value {
        case scalar(Scalar)
        case list([Scalar])
        case notes([(key: Scalar, note: Scalar)])
    }

    /// The keys of entries and category notes (matched byte by byte: no string or hash per key).
    private enum Field: Int, CaseIterable {
        case code, title, alsoKnownAs, description, plainLanguage, clinicalContext, specialties, modifierNotes, billingNotes
        case documentationNotes, category

        /// The key as written (`also_known_as`).
        var name: String {
            String(describing: self).reduce(into: "") { name, character in
                name += character.isUppercase ? "_" + character.lowercased() : String(character)
            }
        }

        static let names = allCases.map { Array($0.name.utf8) }
        static let entryFields: [Field] = allCases.filter { CuratedContentParser.entryKeys.contains($0.name) }
        static let categoryFields: [Field] = allCases.filter { CuratedContentParser.categoryKeys.contains($0.name) }
    }

    /// A mapping's values by ``Field``.
    private struct Values {
        var values = [Value?](repeating: nil, count: Field.allCases.count)
        subscript(_ field: Field) -> Value? {
            get { values[field.rawValue] }
            set { values[field.rawValue] = newValue }
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: CuratedLimits
    private let fileName: String
    private var lines: [Line] = []
    /// The line being read.
    private var index = 0

    /// The file's entries and category notes in the order written, or nil when the file is
    /// outside the subset or has anything to report.
    static func read(_ file: CuratedContentParser.File, limits: CuratedLimits) -> [CuratedContentParser.Item]? {
        var text = file.text
        return text.withUTF8 { bytes in
            var reader = CuratedFastReader(bytes: bytes, limits: limits, fileName: file.name)
            do throws(Decline) {
                return try reader.readFile()
            } catch {
                return nil
            }
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: CuratedLimits, fileName: String) {
        self.bytes = bytes
        self.limits = limits
        self.fileName = fileName
    }

    private mutating func readFile() throws(Decline) -> [CuratedContentParser.Item] {
        try splitLines()
        var items: [CuratedContentParser.Item] = []
        var seen: Set<String> = []
        while skipBlank() {
            let line = lines[index]
            guard line.indent == 0 else { throw Decline() }
            let (key, after) = try plainKey(line, at: 0)
            guard key == "codes" || key == "categories", seen.insert(key).inserted else { throw Decline() }
            try expectEnd(line, after)
            index += 1
            guard skipBlank() else { throw Decline() }
            let dash = lines[index].indent
            guard isItem(lines[index], dash) else { throw Decline() }
            while skipBlank(), lines[index].indent == dash, isItem(lines[index], dash) {
                if key == "codes" {
                    items.append(.entry(try entry(dash)))
                } else {
                    items.append(.category(try category(dash)))
                }
            }
        }
        guard !items.isEmpty else { throw Decline() }
        return items
    }

    // MARK: Lines

    private mutating func splitLines() throws(Decline) {
        var start = 0
        var position = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte &- 0x20 < 0x5F {
                // Printable ASCII, nearly every byte: one comparison.
            } else if byte == 0x0A {
                try addLine(start, position, hasBreak: true)
                start = position + 1
            } else if byte < 0x80 {
                throw Decline()
            } else {
                try checkPrintable(at: position)
            }
            position += 1
        }
        if start < bytes.count { try addLine(start, bytes.count, hasBreak: false) }
    }

    /// Declines C1 controls (NEL among them), the line and paragraph separators (line breaks to
    /// YAML), U+FEFF and the non-characters U+FFFE and U+FFFF.
    private func checkPrintable(at position: Int) throws(Decline) {
        func at(_ offset: Int) -> UInt8 { position + offset < bytes.count ? bytes[position + offset] : 0 }
        let byte = bytes[position]
        if byte == 0xC2, at(1) < 0xA0 { throw Decline() }
        if byte == 0xE2, at(1) == 0x80, at(2) == 0xA8 || at(2) == 0xA9 { throw Decline() }
        if byte == 0xEF, at(1) == 0xBB && at(2) == 0xBF || at(1) == 0xBF && at(2) >= 0xBE { throw Decline() }
    }

    private mutating func addLine(_ start: Int, _ end: Int, hasBreak: Bool) throws(Decline) {
        var indent = 0
        while start + indent < end, bytes[start + indent] == 0x20 { indent += 1 }
        guard indent == 0 || start + indent < end else { throw Decline() }  // Spaces alone.
        lines.append(Line(start: start, end: end, indent: indent, hasBreak: hasBreak))
    }

    /// Moves to the next line that is neither empty nor a comment; false at the end of the file.
    private mutating func skipBlank() -> Bool {
        while index < lines.count {
            let line = lines[index]
            if line.start + line.indent < line.end, bytes[line.start + line.indent] != UInt8(ascii: "#") { return true }
            index += 1
        }
        return false
    }

    /// `- ` at `dash`, followed by something other than a space.
    private func isItem(_ line: Line, _ dash: Int) -> Bool {
        let position = line.start + dash
        return line.indent == dash && position + 2 < line.end && bytes[position] == UInt8(ascii: "-")
            && bytes[position + 1] == 0x20 && bytes[position + 2] != 0x20
    }

    /// Nothing but spaces and a comment from `position` to the end of the line.
    private func expectEnd(_ line: Line, _ position: Int) throws(Decline) {
        var position = position
        let start = position
        while position < line.end, bytes[position] == 0x20 { position += 1 }
        guard position == line.end || (position > start && bytes[position] == UInt8(ascii: "#")) else { throw Decline() }
    }

    private func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    // MARK: Mappings

    /// A key of letters, digits and `_` at `column`, then `:` and a space or the end of the line;
    /// returns the key and the position after the colon.
    private func plainKey(_ line: Line, at column: Int) throws(Decline) -> (String, Int) {
        let start = line.start + column
        var position = start
        while position < line.end, Self.isKeyByte(bytes[position]) { position += 1 }
        guard position > start, position < line.end, bytes[position] == UInt8(ascii: ":"),
            position + 1 == line.end || bytes[position + 1] == 0x20
        else { throw Decline() }
        return (string(start, position), position + 1)
    }

    /// The field named at `column` of `line` (then `:` and a space or the end of the line), if
    /// it is one of `allowed`; returns it and the position after the colon.
    private func fieldKey(_ line: Line, at column: Int, allowed: [Field]) throws(Decline) -> (Field, Int) {
        let start = line.start + column
        var position = start
        while position < line.end, Self.isKeyByte(bytes[position]) { position += 1 }
        guard position < line.end, bytes[position] == UInt8(ascii: ":"), position + 1 == line.end || bytes[position + 1] == 0x20
        else { throw Decline() }
        let length = position - start
        let field = allowed.first { field in
            let name = Field.names[field.rawValue]
            guard name.count == length else { return false }
            for offset in 0..<length where name[offset] != bytes[start + offset] { return false }
            return true
        }
        guard let field else { throw Decline() }
        return (field, position + 1)
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    /// The mapping of a list item starting at the current line (`- key: ...` with the dash at
    /// `dash`), its keys in `allowed`; returns the values and the mapping's line and column.
    private mutating func mapping(_ dash: Int, allowed: [Field]) throws(Decline) -> (Values, SourceLocation) {
        let column = dash + 2
        let location = SourceLocation(file: fileName, line: index + 1, column: column + 1)
        var values = Values()
        while true {
            let line = lines[index]
            let (key, after) = try fieldKey(line, at: column, allowed: allowed)
            guard values[key] == nil else { throw Decline() }
            values[key] = try value(of: key, line, after, indent: column)
            guard skipBlank() else { break }
            let next = lines[index].indent
            if next == column { continue }
            if next < column { break }
            throw Decline()
        }
        return (values, location)
    }

    /// The value after `key:`; leaves the current line after the value's last line.
    private mutating func value(of key: Field, _ line: Line, _ after: Int, indent: Int) throws(Decline) -> Value {
        var position = after
        while position < line.end, bytes[position] == 0x20 { position += 1 }
        let onNextLines = position == line.end || bytes[position] == UInt8(ascii: "#")
        switch key {
        case .specialties, .alsoKnownAs:
            if onNextLines {
                index += 1
                return .list(try blockList(under: indent))
            }
            guard bytes[position] == UInt8(ascii: "[") else { throw Decline() }
            let items = try flowList(line, position)
            index += 1
            return .list(items)
        case .modifierNotes:
            guard onNextLines else { throw Decline() }
            index += 1
            return .notes(try notes(under: indent))
        default:
            guard !onNextLines else { throw Decline() }
            return .scalar(try scalar(line, position, parent: indent, blockAllowed: true))
        }
    }

    /// A block list of scalars indented more than its key at `parent`.
    private mutating func blockList(under parent: Int) throws(Decline) -> [Scalar] {
        guard skipBlank() else { throw Decline() }
        let dash = lines[index].indent
        guard dash > parent else { throw Decline() }
        var items: [Scalar] = []
        while true {
            let line = lines[index]
            guard isItem(line, dash) else { throw Decline() }
            items.append(try scalar(line, line.start + dash + 2, parent: dash, blockAllowed: false))
            guard skipBlank() else { break }
            let next = lines[index].indent
            if next == dash { continue }
            if next <= parent { break }
            throw Decline()
        }
        return items
    }

    /// `modifier_notes`: a block mapping of modifiers (plain letters and digits, or quoted) to
    /// scalars, indented more than its key at `parent`.
    private mutating func notes(under parent: Int) throws(Decline) -> [(key: Scalar, note: Scalar)] {
        guard skipBlank() else { throw Decline() }
        let column = lines[index].indent
        guard column > parent else { throw Decline() }
        var pairs: [(key: Scalar, note: Scalar)] = []
        while true {
            let line = lines[index]
            guard line.indent == column else { throw Decline() }
            var position = line.start + column
            let key: Scalar
            switch bytes[position] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                (key, position) = try quoted(line, position)
            default:
                let start = position
                while position < line.end, Self.isKeyByte(bytes[position]) { position += 1 }
                key = Scalar(text: string(start, position), plain: true)
            }
            guard position + 1 < line.end, bytes[position] == UInt8(ascii: ":"), bytes[position + 1] == 0x20 else { throw Decline() }
            position += 2
            while position < line.end, bytes[position] == 0x20 { position += 1 }
            guard position < line.end, bytes[position] != UInt8(ascii: "#") else { throw Decline() }
            pairs.append((key, try scalar(line, position, parent: column, blockAllowed: true)))
            guard skipBlank() else { break }
            let next = lines[index].indent
            if next == column { continue }
            if next <= parent { break }
            throw Decline()
        }
        return pairs
    }

    // MARK: Scalars

    /// The characters that may not start a plain scalar here (YAML's indicators).
    private static func isIndicator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"),
            UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"):
            true
        default: false
        }
    }

    /// The scalar starting at `position` of `line`, for a key or dash at column `parent`; moves
    /// to the line after it.
    private mutating func scalar(_ line: Line, _ position: Int, parent: Int, blockAllowed: Bool) throws(Decline) -> Scalar {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            let (scalar, end) = try quoted(line, position)
            try expectEnd(line, end)
            index += 1
            return scalar
        }
        if blockAllowed, byte == UInt8(ascii: "|") || byte == UInt8(ascii: ">") {
            return try blockScalar(line, position, parent: parent)
        }
        guard !Self.isIndicator(byte) else { throw Decline() }
        var end = line.end
        var scan = position
        while scan < line.end {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "#"), bytes[scan - 1] == 0x20 {
                end = scan
                break
            }
            if byte == UInt8(ascii: ":"), scan + 1 == line.end || bytes[scan + 1] == 0x20 { throw Decline() }
            scan += 1
        }
        while bytes[end - 1] == 0x20 { end -= 1 }
        index += 1
        return Scalar(text: string(position, end), plain: true)
    }

    /// A single- or double-quoted scalar closed on its line; returns it and the position after
    /// the closing quote.
    private func quoted(_ line: Line, _ position: Int) throws(Decline) -> (Scalar, Int) {
        let quote = bytes[position]
        var text: [UInt8] = []
        var scan = position + 1
        while scan < line.end {
            let byte = bytes[scan]
            if byte == quote {
                // '' is one quote inside single quotes.
                guard quote == UInt8(ascii: "'"), scan + 1 < line.end, bytes[scan + 1] == quote else {
                    return (Scalar(text: String(decoding: text, as: UTF8.self), plain: false), scan + 1)
                }
                text.append(quote)
                scan += 2
            } else if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                guard scan + 1 < line.end, bytes[scan + 1] == UInt8(ascii: "\"") || bytes[scan + 1] == UInt8(ascii: "\\") else {
                    throw Decline()
                }
                text.append(bytes[scan + 1])
                scan += 2
            } else {
                text.append(byte)
                scan += 1
            }
        }
        throw Decline()
    }

    /// A block scalar (`>`, `|`, with `-` or `+`) whose lines all have one indentation, more than
    /// `parent`'s; folded and chomped as YAML does.
    private mutating func blockScalar(_ line: Line, _ position: Int, parent: Int) throws(Decline) -> Scalar {
        let literal = bytes[position] == UInt8(ascii: "|")
        var end = position + 1
        var chomping: UInt8 = 0
        if end < line.end, bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: "+") {
            chomping = bytes[end]
            end += 1
        }
        try expectEnd(line, end)
        index += 1
        guard index < lines.count, lines[index].start < lines[index].end else { throw Decline() }
        let indent = lines[index].indent
        guard indent > parent else { throw Decline() }
        var text: [UInt8] = []
        var empty = 0
        var last = index
        while index < lines.count {
            let line = lines[index]
            if line.start == line.end {
                empty += 1
                index += 1
                continue
            }
            if line.indent < indent { break }
            guard line.indent == indent, bytes[line.end - 1] != 0x20 else { throw Decline() }
            if index != last {
                if literal {
                    text.append(contentsOf: repeatElement(0x0A, count: empty + 1))
                } else if empty == 0 {
                    text.append(0x20)
                } else {
                    text.append(contentsOf: repeatElement(0x0A, count: empty))
                }
            }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(line.start + indent)..<line.end]))
            empty = 0
            last = index
            index += 1
        }
        if chomping != UInt8(ascii: "-"), lines[last].hasBreak {
            text.append(0x0A)
            if chomping == UInt8(ascii: "+") { text.append(contentsOf: repeatElement(0x0A, count: empty)) }
        }
        return Scalar(text: String(decoding: text, as: UTF8.self), plain: false)
    }

    /// A flow list of plain or quoted scalars on one line, from `[` at `position`.
    private func flowList(_ line: Line, _ position: Int) throws(Decline) -> [Scalar] {
        var items: [Scalar] = []
        var position = position + 1
        func skipSpaces() { while position < line.end, bytes[position] == 0x20 { position += 1 } }
        skipSpaces()
        if position < line.end, bytes[position] == UInt8(ascii: "]") {
            try expectEnd(line, position + 1)
            return []
        }
        while true {
            guard position < line.end else { throw Decline() }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                let (item, end) = try quoted(line, position)
                items.append(item)
                position = end
            } else {
                guard !Self.isIndicator(byte) else { throw Decline() }
                let start = position
                scan: while position < line.end {
                    switch bytes[position] {
                    case UInt8(ascii: ","), UInt8(ascii: "]"): break scan
                    case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: ":"): throw Decline()
                    default: position += 1
                    }
                }
                var end = position
                while bytes[end - 1] == 0x20 { end -= 1 }
                items.append(Scalar(text: string(start, end), plain: true))
            }
            skipSpaces()
            guard position < line.end else { throw Decline() }
            if bytes[position] == UInt8(ascii: "]") { break }
            guard bytes[position] == UInt8(ascii: ",") else { throw Decline() }
            position += 1
            skipSpaces()
        }
        try expectEnd(line, position + 1)
        return items
    }

    // MARK: Entries

    /// A value's text, trimmed; declines on what the Yams path reports (null, empty, the
    /// placeholder, over the limit).
    /// (`oneLine`: a code, title, list item, modifier or category, which may not hold a line
    /// break: a block scalar's text can. The subset has no other character the Yams path refuses.)
    private func text(_ scalar: Scalar, oneLine: Bool = false) throws(Decline) -> String {
        let raw = scalar.text
        if scalar.plain, raw.utf8.count <= 4, CuratedContentParser.nullSpellings.contains(raw) { throw Decline() }
        guard raw.utf8.count <= limits.maximumTextBytes else { throw Decline() }
        let value = CuratedContentParser.trimmed(raw)
        guard !value.isEmpty, value != CuratedContentParser.placeholder else { throw Decline() }
        if oneLine, value.utf8.contains(0x0A) { throw Decline() }
        return value
    }

    private func text(_ value: Value?, oneLine: Bool = false) throws(Decline) -> String {
        guard case .scalar(let scalar) = value else { throw Decline() }
        return try text(scalar, oneLine: oneLine)
    }

    private func optionalText(_ value: Value?) throws(Decline) -> String? {
        guard let value else { return nil }
        return try text(value)
    }

    private func list(_ value: Value?) throws(Decline) -> [String] {
        guard let value else { return [] }
        guard case .list(let items) = value, items.count <= limits.maximumListItems else { throw Decline() }
        var texts: [String] = []
        texts.reserveCapacity(items.count)
        for item in items {
            let text = try text(item, oneLine: true)
            texts.append(text)
        }
        // A repeat is a warning of the Yams path: a short list is searched, a long one hashed.
        let repeats = texts.count <= 16 ? texts.indices.contains { texts[..<$0].contains(texts[$0]) } : Set(texts).count != texts.count
        guard !repeats else { throw Decline() }
        return texts
    }

    private mutating func entry(_ dash: Int) throws(Decline) -> CuratedEntry {
        let (values, location) = try mapping(dash, allowed: Field.entryFields)
        let code = try text(values[.code], oneLine: true)
        guard CodeCategory.of(code) != nil, values[.specialties] != nil else { throw Decline() }
        var modifierNotes: [String: String] = [:]
        if let notes = values[.modifierNotes] {
            guard case .notes(let pairs) = notes, pairs.count <= limits.maximumListItems else { throw Decline() }
            for (key, note) in pairs {
                let modifier = try text(key, oneLine: true)
                guard modifierNotes.updateValue(try text(note), forKey: modifier) == nil else { throw Decline() }
            }
        }
        return CuratedEntry(
            code: code, title: try text(values[.title], oneLine: true), alsoKnownAs: try list(values[.alsoKnownAs]),
            description: try text(values[.description]), plainLanguage: try text(values[.plainLanguage]),
            clinicalContext: try text(values[.clinicalContext]), specialties: try list(values[.specialties]),
            modifierNotes: modifierNotes, billingNotes: try optionalText(values[.billingNotes]),
            documentationNotes: try optionalText(values[.documentationNotes]), location: location)
    }

    private mutating func category(_ dash: Int) throws(Decline) -> CategoryNotes {
        let (values, location) = try mapping(dash, allowed: Field.categoryFields)
        let category = try text(values[.category], oneLine: true)
        guard CodeCategory.knownIDs.contains(category) else { throw Decline() }
        let billing = try optionalText(values[.billingNotes])
        let documentation = try optionalText(values[.documentationNotes])
        guard billing != nil || documentation != nil else { throw Decline() }
        return CategoryNotes(category: category, billingNotes: billing, documentationNotes: documentation, location: location)
    }
}
