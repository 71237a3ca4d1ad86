import RVUCore
import RVUMerge
import Testing

/// Issue 16, item 6: the YAML means what editors wrote. Each case is real YAML text; each error
/// names its file, line and column.
@Suite struct CuratedStrictnessTests {
    /// One entry for 99213 whose fields after `code` are `fields` (indented as in a file).
    static func entry(_ fields: String) -> String {
        """
        codes:
          - code: "99213"
        \(fields)
        """
    }

    static let complete = """
            title: Office visit
            description: An established patient's visit.
            plain_language: A check-up with your doctor.
            clinical_context: Used for stable problems.
            specialties: [Family Medicine]
        """

    static func parse(_ text: String, limits: CuratedLimits = CuratedLimits()) -> (CuratedContent, [String]) {
        let (content, diagnostics) = CuratedContentParser.parse([.init(name: "a.yaml", text: text)], limits: limits)
        return (content, diagnostics.map(\.description))
    }

    /// `complete` with the line of `key` replaced by `line`.
    static func replacing(_ key: String, with line: String) -> String {
        entry(complete.split(separator: "\n").map { $0.hasPrefix("    \(key):") ? line : String($0) }.joined(separator: "\n"))
    }

    @Test func aCompleteEntryIsAccepted() {
        let (content, diagnostics) = Self.parse(Self.entry(Self.complete))
        #expect(diagnostics.isEmpty)
        #expect(content.entries["99213"]?.title == "Office visit")
    }

    @Test(arguments: [
        ("    title: ~", "a.yaml:3:12: error: 99213: 'title' is null ('~'); write the text"),
        ("    title: null", "a.yaml:3:12: error: 99213: 'title' is null ('null'); write the text"),
        ("    title: NULL", "a.yaml:3:12: error: 99213: 'title' is null ('NULL'); write the text"),
        ("    title:", "a.yaml:3:11: error: 99213: 'title' has no value; write the text"),
        ("    title: \"  \"", "a.yaml:3:12: error: 99213: 'title' is empty; write the text"),
        (
            "    title: !!binary aGVsbG8=",
            "a.yaml:3:12: error: 99213: 'title' is tagged !!binary, not text; remove the tag and write the text"
        ),
        ("    title: !!int 12", "a.yaml:3:12: error: 99213: 'title' is tagged !!int, not text; remove the tag and write the text"),
        ("    title: !mine x", "a.yaml:3:12: error: 99213: 'title' is tagged !mine, not text; remove the tag and write the text"),
        ("    title: [Office, visit]", "a.yaml:3:12: error: 99213: 'title' must be text, not a list"),
        ("    description: {short: visit}", "a.yaml:4:18: error: 99213: 'description' must be text, not a mapping"),
        ("    specialties: [Family Medicine, [Internal]]", "a.yaml:7:36: error: 99213: an item of 'specialties' must be text, not a list"),
        ("    specialties: [Family Medicine, ~]", "a.yaml:7:36: error: 99213: an item of 'specialties' is null ('~'); remove the item"),
        ("    specialties:", "a.yaml:7:17: error: 99213: 'specialties' has no value; write a list such as [First, Second]"),
        ("    specialties: Family Medicine", "a.yaml:7:18: error: 99213: 'specialties' must be a list"),
        // A NUL or another control character from an escape: the catalog's readers refuse such text.
        ("    title: \"Office\\0visit\"", "a.yaml:3:12: error: 99213: 'title' holds the character U+0000, which text may not; remove it"),
        (
            "    description: \"A visit\\a\"",
            "a.yaml:4:18: error: 99213: 'description' holds the character U+0007, which text may not; remove it"
        ),
        (
            "    description: \"A visit\\uFFFF\"",
            "a.yaml:4:18: error: 99213: 'description' holds the character U+FFFF, which text may not; remove it"
        ),
        // A title, a synonym or a specialty is one line.
        (
            "    title: |\n      Office\n      visit",
            "a.yaml:3:12: error: 99213: 'title' holds a line break or tab (U+000A); write it on one line"
        ),
        ("    title: \"Office\\tvisit\"", "a.yaml:3:12: error: 99213: 'title' holds a line break or tab (U+0009); write it on one line"),
        ("    title: \"Office\\Lvisit\"", "a.yaml:3:12: error: 99213: 'title' holds a line break or tab (U+2028); write it on one line"),
        (
            "    specialties: [\"Family\\nMedicine\"]",
            "a.yaml:7:19: error: 99213: an item of 'specialties' holds a line break or tab (U+000A); write it on one line"
        ),
    ])
    func aValueThatIsNotTextIsAnErrorNeverText(line: String, expected: String) {
        let (content, diagnostics) = Self.parse(Self.replacing(String(line.drop { $0 == " " }.prefix { $0 != ":" }), with: line))
        #expect(diagnostics == [expected])
        #expect(content.entries.isEmpty, "an entry with an error is not kept")
    }

    /// Text of several lines is kept where it belongs: a description, tabs and all.
    @Test func aDescriptionMayHoldLinesAndTabs() {
        let (content, diagnostics) = Self.parse(
            Self.replacing("description", with: "    description: |\n      First line\n      \tthen a tab"))
        #expect(diagnostics.isEmpty)
        #expect(content.entries["99213"]?.description == "First line\n\tthen a tab")
    }

    @Test func aQuotedNullOrAnExplicitStringIsTheTextWritten() {
        let (content, diagnostics) = Self.parse(
            Self.replacing("title", with: "    title: \"null\"") + "\n    also_known_as: [!!str ~, '~']")
        #expect(diagnostics == ["a.yaml:8:30: warning: 99213: 'also_known_as' repeats \"~\"; it is kept once"])
        #expect(content.entries["99213"]?.title == "null")
        #expect(content.entries["99213"]?.alsoKnownAs == ["~"])
    }

    @Test(arguments: ["billing_notes", "documentation_notes"])
    func anEmptyNoteOverrideIsAnErrorThatSaysToOmitTheKey(key: String) {
        for value in ["", " ~", " \"\""] {
            let (content, diagnostics) = Self.parse(Self.entry(Self.complete + "\n    \(key):\(value)"))
            let what = value.isEmpty ? "has no value" : value == " ~" ? "is null ('~')" : "is empty"
            let column = value.isEmpty ? 6 + key.count : 7 + key.count
            #expect(diagnostics == ["a.yaml:8:\(column): error: 99213: '\(key)' \(what); omit the key to use the category's notes"])
            #expect(content.entries.isEmpty)
        }
    }

    @Test func aCategoryNoteIsHeldToTheSameRules() {
        let text = """
            categories:
              - category: dental
                billing_notes: !!binary aGVsbG8=
              - category: ~
                billing_notes: x
              - category: cpt-radiology
                documentation_notes: [a]
            """
        let (content, diagnostics) = Self.parse(text)
        #expect(
            diagnostics == [
                "a.yaml:3:20: error: category dental: 'billing_notes' is tagged !!binary, not text; remove the tag and write the text",
                "a.yaml:4:15: error: 'category' is null ('~'); write a category id such as dental",
                "a.yaml:7:26: error: category cpt-radiology: 'documentation_notes' must be text, not a list",
            ])
        #expect(content.categories.isEmpty)
    }

    @Test func aModifierNoteIsHeldToTheSameRules() {
        let (content, diagnostics) = Self.parse(Self.entry(Self.complete + "\n    modifier_notes: {\"25\": ~, \"59\": [a]}"))
        #expect(
            diagnostics == [
                "a.yaml:8:28: error: 99213: the note of modifier 25 is null ('~'); write the note or remove the modifier",
                "a.yaml:8:37: error: 99213: the note of modifier 59 must be text, not a list",
            ])
        #expect(content.entries.isEmpty)
    }

    @Test func aTextFieldLongerThanTheLimitIsRefused() {
        let atLimit = String(repeating: "é", count: 8 << 10)  // 16 KiB of UTF-8.
        #expect(Self.parse(Self.replacing("title", with: "    title: \(atLimit)")).1.isEmpty)
        let (content, diagnostics) = Self.parse(Self.replacing("title", with: "    title: \(atLimit)x"))
        #expect(diagnostics == ["a.yaml:3:12: error: 99213: 'title' is 16385 bytes, more than the limit of 16384 bytes; shorten it"])
        #expect(content.entries.isEmpty)

        var limits = CuratedLimits()
        limits.maximumTextBytes = 10
        #expect(
            Self.parse(Self.replacing("title", with: "    title: Office visit"), limits: limits).1 == [
                "a.yaml:3:12: error: 99213: 'title' is 12 bytes, more than the limit of 10 bytes; shorten it",
                "a.yaml:4:18: error: 99213: 'description' is 31 bytes, more than the limit of 10 bytes; shorten it",
                "a.yaml:5:21: error: 99213: 'plain_language' is 28 bytes, more than the limit of 10 bytes; shorten it",
                "a.yaml:6:23: error: 99213: 'clinical_context' is 25 bytes, more than the limit of 10 bytes; shorten it",
                "a.yaml:7:19: error: 99213: an item of 'specialties' is 15 bytes, more than the limit of 10 bytes; shorten it",
            ])
    }

    @Test func aListLongerThanTheLimitIsRefused() {
        let synonyms = (1...1_001).map { "name \($0)" }.joined(separator: ", ")
        let (content, diagnostics) = Self.parse(Self.entry(Self.complete + "\n    also_known_as: [\(synonyms)]"))
        #expect(
            diagnostics == [
                "a.yaml:8:20: error: 99213: 'also_known_as' has 1001 items, more than the limit of 1000; keep those readers need"
            ])
        #expect(content.entries.isEmpty)
        var limits = CuratedLimits()
        limits.maximumListItems = 2_000
        #expect(
            Self.parse(Self.entry(Self.complete + "\n    also_known_as: [\(synonyms)]"), limits: limits).0.entries["99213"]?.alsoKnownAs
                .count == 1_001)
    }

    @Test func aFileLargerThanTheLimitIsRefusedBeforeItIsParsed() {
        var limits = CuratedLimits()
        limits.maximumFileBytes = 100
        let text = Self.entry(Self.complete)
        let (content, diagnostics) = Self.parse(text, limits: limits)
        #expect(
            diagnostics == [
                "a.yaml: error: the file is \(text.utf8.count) bytes, more than the limit of 100 bytes; split it into smaller files"
            ])
        #expect(content.entries.isEmpty)
    }

    @Test func aRepeatedSynonymIsAWarningAndKeptOnce() {
        let (content, diagnostics) = Self.parse(
            Self.entry(Self.complete + "\n    also_known_as: [follow-up visit, return visit, follow-up visit, \" return visit \"]"))
        #expect(
            diagnostics == [
                "a.yaml:8:52: warning: 99213: 'also_known_as' repeats \"follow-up visit\"; it is kept once",
                "a.yaml:8:69: warning: 99213: 'also_known_as' repeats \"return visit\"; it is kept once",
            ])
        #expect(content.entries["99213"]?.alsoKnownAs == ["follow-up visit", "return visit"])
    }

    /// 100,000 synonyms, each written twice: kept once each, in the order written. Deduplicating
    /// is linear (a quadratic search would take minutes here).
    @Test func aHundredThousandSynonymsAreDeduplicated() {
        let names = (0..<50_000).map { "name \($0)" }
        let list = (names + names.reversed()).map { "      - \($0)\n" }.joined()
        var limits = CuratedLimits()
        limits.maximumListItems = 100_000
        let (content, diagnostics) = Self.parse(Self.entry(Self.complete + "\n    also_known_as:\n" + list), limits: limits)
        #expect(content.entries["99213"]?.alsoKnownAs == names)
        #expect(diagnostics.count == 50_000)
        #expect(diagnostics.first == "a.yaml:50009:9: warning: 99213: 'also_known_as' repeats \"name 49999\"; it is kept once")
    }
}
