import Foundation
import RVUCore
import RVUMerge
import Testing

/// `CuratedFastReader` reads the plain subset of YAML that curated files are written in, and
/// declines everything else to the Yams path. Whatever the input, parsing with it must give
/// exactly what the Yams path alone gives: the same entries (text, lists, notes, locations), the
/// same category notes and the same diagnostics with their lines and columns.
@Suite struct CuratedFastReaderTests {
    /// Parses `files` both ways and expects the same result; returns how many were read fast.
    @discardableResult
    static func expectSameAsYams(_ files: [CuratedContentParser.File], limits: CuratedLimits = CuratedLimits()) -> Int {
        for file in files {
            let (plain, plainDiagnostics) = CuratedContentParser.parse([file], limits: limits, concurrently: false, fast: false)
            let (fast, fastDiagnostics) = CuratedContentParser.parse([file], limits: limits, concurrently: false, fast: true)
            #expect(fast.entries == plain.entries, "\(file.name): \(file.text.debugDescription)")
            #expect(fast.categories == plain.categories, "\(file.name): \(file.text.debugDescription)")
            #expect(fastDiagnostics == plainDiagnostics, "\(file.name): \(file.text.debugDescription)")
        }
        return files.filter { CuratedContentParser.isReadFast($0, limits: limits) }.count
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func samples() throws -> [CuratedContentParser.File] {
        let folder = root.appendingPathComponent("Samples/curated")
        let paths = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") }
        return try paths.sorted().map { path in
            CuratedContentParser.File(name: path, text: try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8))
        }
    }

    @Test func everySampleFileIsReadFastAndGivesWhatYamsGives() throws {
        let files = try Self.samples()
        #expect(files.count >= 5)
        #expect(Self.expectSameAsYams(files) == files.count)
    }

    /// One entry using every form of the subset: plain, quoted, escapes, folded and literal block
    /// scalars with each chomping, empty lines inside, flow and block lists, modifier notes with
    /// plain and quoted keys, comments, unicode.
    static let everyForm = """
        # A comment first.
        codes:
        - code: 99213   # plain code
          title: 'It''s an office visit: established'
          also_known_as: ["follow-up \\"visit\\"", 'return visit', level 3 visit, back\\\\slash, a-b]
          description: >-
            An office visit for a known
            patient, with decision making.

            A second paragraph: see #3.


            A third, after two empty lines.
          plain_language: |
            Line one.
            Line two.

          clinical_context: >
            Folded with the final line break kept.
          specialties:
            - Family Medicine
            - "Internal Medicine"   # quoted
            - 'Pédiatrie — enfants'
          modifier_notes:
            "25": Add when a separate service is done.
            TC: |-
              Technical part only.
            '26': >+
              Reading only.

          billing_notes: "  Spaces inside quotes are trimmed  "
          documentation_notes: Note with a colon:inside and C# here # a comment
        - code: "0001F"
          title: Quality code
          description: d
          plain_language: p
          clinical_context: c
          specialties: []

        categories:
          - category: dental
            billing_notes: >-
              Billing.
          - category: cpt-radiology
            documentation_notes: Docs.
        """

    @Test func everyFormOfTheSubsetIsReadFastAndGivesWhatYamsGives() throws {
        let file = CuratedContentParser.File(name: "codes/forms.yaml", text: Self.everyForm)
        #expect(Self.expectSameAsYams([file]) == 1)
        let (content, diagnostics) = CuratedContentParser.parse([file])
        #expect(diagnostics.isEmpty)
        let entry = try #require(content.entries["99213"])
        #expect(entry.title == "It's an office visit: established")
        #expect(entry.alsoKnownAs == ["follow-up \"visit\"", "return visit", "level 3 visit", "back\\\\slash", "a-b"])
        #expect(
            entry.description
                == "An office visit for a known patient, with decision making.\nA second paragraph: see #3.\n\nA third, after two empty lines."
        )
        #expect(entry.specialties == ["Family Medicine", "Internal Medicine", "Pédiatrie — enfants"])
        #expect(entry.modifierNotes == ["25": "Add when a separate service is done.", "TC": "Technical part only.", "26": "Reading only."])
        #expect(entry.documentationNotes == "Note with a colon:inside and C# here")
        #expect(entry.location == SourceLocation(file: "codes/forms.yaml", line: 3, column: 3))
        #expect(content.categories["cpt-radiology"]?.location == SourceLocation(file: "codes/forms.yaml", line: 44, column: 5))
    }

    /// Inputs the fast reader must decline or read exactly as Yams does: each line replaces the
    /// `title` line of a complete entry (so diagnostics and their places must match).
    static let hostileTitles = [
        "    title: ~", "    title: null", "    title: NULL", "    title: Null", "    title:", "    title: \"\"", "    title: ''",
        "    title: \"  \"", "    title: !!binary aGVsbG8=", "    title: !!str tagged", "    title: !mine x", "    title: [Office, visit]",
        "    title: {short: visit}", "    title: &anchor Office", "    title: *alias", "    title: TODO", "    title: ' TODO '",
        "    title: Office: visit", "    title: Office:", "    title: Office #visit", "    title: Office#visit", "    title: \"a\\tb\"",
        "    title: \"a\\u00e9\"", "    title: \"a\\nb\"", "    title: \"unclosed", "    title: 'unclosed", "    title: \"a\" b",
        "    title: \"a\"#b", "    title: 'a''", "    title: - a", "    title: ? a", "    title: @a", "    title: `a", "    title: %a",
        "    title: |2\n      Indented", "    title: >\n\n      After an empty line",
        "    title: >\n      a\n        more indented\n      b",
        "    title: >\n      trailing space \n      b", "    title: |\n    not indented", "    title: >-\n     one\n      two",
        "    title: Office\n      visit continued", "    title: Office\n    # comment\n      after comment",
        "    title: \"Office\n      visit\"",
        "    title:\tOffice", "    title: Office\r", "    title: Caf\u{85}e", "    title: a\u{2028}b", "    title: \u{FEFF}Office",
        "    title: 😀 emoji", "    title: Ünïcödé ✓", "    title: \"Ünï \\\\ ✓\"", "    title : Office", "    Title: Office",
        "    title: Office\n    title: Again", "    titles: Office", "      title: Office", "   title: Office", "    title: >-\n",
        "    title: >-", "    title: |+\n      kept\n\n\n", "    title: >-\n      a\n\n      b\n    # c\n", "    title: 'a' # comment",
        "    title: \"a\"   ", "    title:    spaced", "    title: 12", "    title: 1.5", "    title: true", "    title: 0x1F",
        "    title: \\\\ backslash", "    title: a, b, c", "    title: a ] b", "    title: [", "    title: ]",
        "    title: \"\(String(repeating: "x", count: 40))\"",
    ]

    static func entry(title line: String, code: String = "\"99213\"") -> String {
        """
        codes:
          - code: \(code)
        \(line)
            description: An established patient's visit.
            plain_language: A check-up with your doctor.
            clinical_context: Used for stable problems.
            specialties: [Family Medicine]

        """
    }

    @Test func hostileValuesAreDeclinedOrReadAsYamsReadsThem() {
        let files = Self.hostileTitles.enumerated().map {
            CuratedContentParser.File(name: "t\($0.offset).yaml", text: Self.entry(title: $0.element))
        }
        let fast = Self.expectSameAsYams(files)
        // Some are in the subset, most are not.
        #expect(fast > 10 && fast < files.count - 30)
        // The limits hold on the fast path too.
        Self.expectSameAsYams(
            files,
            limits: {
                var limits = CuratedLimits(); limits.maximumTextBytes = 30; return limits
            }())
    }

    /// Whole-file shapes: lists, notes, keys, documents and indentation.
    static let hostileFiles = [
        "", "# only a comment\n", "codes:\n", "codes: []\n", "codes:\n  - 99213\n", "---\ncodes:\n", "%YAML 1.1\n---\n",
        "\u{FEFF}" + entry(title: "    title: Office"), entry(title: "    title: Office").replacingOccurrences(of: "\n", with: "\r\n"),
        entry(title: "    title: Office") + entry(title: "    title: Office"),
        entry(title: "    title: Office") + "...\n", entry(title: "    title: Office") + "---\n",
        entry(title: "    title: Office", code: "99213"), entry(title: "    title: Office", code: "'0001F'"),
        entry(title: "    title: Office", code: "9921"), entry(title: "    title: Office", code: "\"99213\" # c"),
        entry(title: "    title: Office", code: "0042"), entry(title: "    title: Office", code: "\"ABCDE\""),
        entry(title: "    title: Office\n    specialties: [A]"), entry(title: "    title: Office\n    unknown: x"),
        entry(title: "    title: Office\n    also_known_as: [a, a]"), entry(title: "    title: Office\n    also_known_as: [a, ' a']"),
        entry(title: "    title: Office\n    also_known_as: [a,]"), entry(title: "    title: Office\n    also_known_as: [a, , b]"),
        entry(title: "    title: Office\n    also_known_as: [a, [b]]"), entry(title: "    title: Office\n    also_known_as: [a: b]"),
        entry(title: "    title: Office\n    also_known_as: [a, {b: c}]"), entry(title: "    title: Office\n    also_known_as: [~]"),
        entry(title: "    title: Office\n    also_known_as: [a] x"), entry(title: "    title: Office\n    also_known_as: [a\n      , b]"),
        entry(title: "    title: Office\n    also_known_as: a"), entry(title: "    title: Office\n    also_known_as:"),
        entry(title: "    title: Office\n    also_known_as:\n    - a\n    - b"),
        entry(title: "    title: Office\n    also_known_as:\n      - a\n      - b"),
        entry(title: "    title: Office\n    also_known_as:\n      - a\n       - b"),
        entry(title: "    title: Office\n    also_known_as:\n      - a\n      -  b"),
        entry(title: "    title: Office\n    also_known_as:\n      - >-\n        folded"),
        entry(title: "    title: Office\n    also_known_as:\n      - [a]"),
        entry(title: "    title: Office\n    also_known_as:\n      - a\n        continued"),
        entry(title: "    title: Office\n    modifier_notes: {\"25\": x}"), entry(title: "    title: Office\n    modifier_notes:"),
        entry(title: "    title: Office\n    modifier_notes:\n      \"25\": a\n      \"25\": b"),
        entry(title: "    title: Office\n    modifier_notes:\n      \"25\": a\n      25: b"),
        entry(title: "    title: Office\n    modifier_notes:\n      \"25 \": a\n      25: b"),
        entry(title: "    title: Office\n    modifier_notes:\n      25: a\n       26: b"),
        entry(title: "    title: Office\n    modifier_notes:\n      25:\n      26: b"),
        entry(title: "    title: Office\n    modifier_notes:\n      25: ~"),
        entry(title: "    title: Office\n    modifier_notes:\n      ~: note"),
        entry(title: "    title: Office\n    modifier_notes:\n      \"\": note"),
        entry(title: "    title: Office\n    modifier_notes:\n      25 : note"),
        entry(title: "    title: Office\n    modifier_notes:\n      - 25"),
        entry(title: "    title: Office\n    modifier_notes:\n      \"25\": >-\n        folded\n        note"),
        entry(title: "    title: Office\n    modifier_notes:\n      \"25\": TODO"),
        entry(title: "    title: Office\n    billing_notes: TODO"), entry(title: "    title: Office\n    billing_notes:"),
        // One-line fields written as block scalars of several lines.
        entry(title: "    title: |\n      Office\n      visit"), entry(title: "    title: >\n      Office\n      visit"),
        entry(title: "    title: |-\n      Office visit"),
        entry(title: "    title: Office\n    also_known_as:\n      - |\n        two\n        lines"),
        entry(title: "    title: Office\n    modifier_notes:\n      ? |\n        25\n        26\n      : note"),
        entry(title: "    title: Office\n    billing_notes: |\n      two\n      lines"),
        entry(title: "    title: \"Office\\0visit\""), entry(title: "    title: \"Office\\u2028visit\""),
        "codes:\n- code: \"99213\"\n  title: a\n  description: d\n  plain_language: p\n  clinical_context: c\n  specialties: [A]\n",
        "codes:\n -  code: \"99213\"\n    title: a\n", "codes:\n  -\n    code: \"99213\"\n",
        "codes:\n  - code: \"99213\"\n    title: a\n  description: d\n",
        "codes:\n  - code: \"99213\"\n    title: a\n     description: d\n",
        "codes:\n  - code: \"99213\"\n    title: a\ncodes:\n  - code: \"99214\"\n",
        "categories:\n  - category: dental\n", "categories:\n  - category: dental\n    billing_notes: b\n    billing_notes: c\n",
        "categories:\n  - category: dentistry\n    billing_notes: b\n",
        "categories:\n  - category: dental\n    billing_notes: b\n    title: t\n",
        "categories:\n  - category: dental\n    billing_notes: b\n  - category: dental\n    billing_notes: c\n",
        "categories:\n  - category: dental\n    billing_notes: b\nother: x\n",
        "categories:\n  - category: dental\n    billing_notes: b\n  other: x\n",
        "  codes:\n  - code: x\n", "codes: &a\n", "? codes\n: x\n", "\"codes\":\n", "codes:\n  - &e code: \"99213\"\n",
        // The file ends inside a block scalar, with and without a last line break, with each chomping.
        "categories:\n  - category: dental\n    billing_notes: >\n      Ends here",
        "categories:\n  - category: dental\n    billing_notes: |+\n      Ends\n\n",
        "categories:\n  - category: dental\n    billing_notes: |-\n      Ends\n",
        "categories:\n  - category: dental\n    billing_notes: |+\n      Ends",
        "categories:\n  - category: dental\n    billing_notes: Ends", "categories:\n  - category: dental\n    billing_notes: 'Ends'",
    ]

    @Test func hostileFilesAreDeclinedOrReadAsYamsReadsThem() {
        let files = Self.hostileFiles.enumerated().map { CuratedContentParser.File(name: "f\($0.offset).yaml", text: $0.element) }
        let fast = Self.expectSameAsYams(files)
        #expect(fast > 5 && fast < files.count - 40)
    }

    /// Every sample file damaged in many small ways (a byte deleted, replaced or inserted; a line
    /// indented or outdented), each damaged copy compared: a fixed sequence, the same each run.
    @Test func damagedSampleFilesAreDeclinedOrReadAsYamsReadsThem() throws {
        let inserts: [[UInt8]] = [
            [0x20], [0x0A], [0x09], [0x23], [0x3A], [0x3A, 0x20], [0x20, 0x23], [0x27], [0x22], [0x5C], [0x2D, 0x20], [0x7C],
            [0x3E], [0x5B], [0x5D], [0x2C], [0x26], [0x2A], [0x21], [0x7E], [0x0D], [0xC3, 0xA9],
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var damaged: [CuratedContentParser.File] = []
        for file in try Self.samples() {
            let bytes = Array(file.text.utf8)
            for round in 0..<150 {
                var copy = bytes
                let position = next(copy.count)
                switch round % 4 {
                case 0: copy.remove(at: position)
                case 1: copy.insert(contentsOf: inserts[next(inserts.count)], at: position)
                case 2: copy.replaceSubrange(position...position, with: inserts[next(inserts.count)])
                default:
                    // A line start: indent it by one or two spaces, or take one away.
                    let start = copy[..<position].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                    if copy.indices.contains(start), copy[start] == 0x20, next(2) == 0 {
                        copy.remove(at: start)
                    } else {
                        copy.insert(contentsOf: Array(repeating: 0x20, count: 1 + next(2)), at: start)
                    }
                }
                guard let text = String(validating: copy, as: UTF8.self) else { continue }
                damaged.append(CuratedContentParser.File(name: "\(file.name)#\(round)", text: text))
            }
        }
        #expect(damaged.count > 500)
        let fast = Self.expectSameAsYams(damaged)
        // Many small changes stay valid (a space or a letter in a text), many do not.
        #expect(fast > damaged.count / 5 && fast < damaged.count * 4 / 5)
    }
}
