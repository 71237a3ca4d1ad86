import RVUMerge

/// A synthetic curated corpus of real size: an entry for every code of a release, in the house
/// format, spread over files by category and code range (`codes/<category>/<first>-<last>.yaml`),
/// plus `categories.yaml` with notes for every category present. The words are made up from the
/// lists in `CorpusWords`; they read like editors' text but describe nothing. Deterministic: each
/// entry is drawn from a generator seeded with its code.
struct CuratedCorpus {
    /// The codes to write, each once.
    let codes: [String]
    /// Mixed into every entry's seed.
    var seed: UInt64 = 1
    /// Entries per file, at most.
    var entriesPerFile = 250

    /// One file of the corpus: its path relative to the corpus folder, and its text.
    struct File {
        let path: String
        let text: String
    }

    /// Codes the corpus cannot hold because they have no known form (the parser would refuse them).
    var skippedCodes: [String] {
        codes.filter { CodeCategory.of($0) == nil }
    }

    /// Every file, in path order.
    func files() -> [File] {
        var byCategory: [String: [String]] = [:]
        for code in Set(codes) {
            guard let category = CodeCategory.of(code) else { continue }
            byCategory[category.id, default: []].append(code)
        }
        var files: [File] = []
        for (category, codes) in byCategory.sorted(by: { $0.key < $1.key }) {
            let sorted = codes.sorted()
            for start in stride(from: 0, to: sorted.count, by: entriesPerFile) {
                let chunk = sorted[start..<min(start + entriesPerFile, sorted.count)]
                guard let first = chunk.first, let last = chunk.last else { continue }
                var text =
                    "# Synthetic curated content (rvusamples --curated-corpus): made-up text for measuring, not for publishing.\ncodes:\n"
                for code in chunk { text += entry(code, category: category) }
                files.append(File(path: "codes/\(category)/\(first)-\(last).yaml", text: text))
            }
        }
        files.append(File(path: "categories.yaml", text: categoryNotes(byCategory.keys.sorted())))
        return files.sorted { $0.path < $1.path }
    }

    /// One entry of a `codes:` list.
    func entry(_ code: String, category: String) -> String {
        var random = CorpusRandom(seed: seed, text: code)
        let site = random.pick(CorpusWords.sites)
        let action = random.pick(CorpusWords.actions)
        let qualifier = random.pick(CorpusWords.qualifiers)
        let title = "\(action.capitalizedFirst) \(random.pick(CorpusWords.linking)) \(site), \(qualifier)"
        let synonyms = random.distinct(random.int(2...4), of: CorpusWords.synonymStems).map { "\($0) \(site)" }
        let description = sentences(random.int(2...4), site: site, action: action, &random)
        let plain = "\(random.pick(CorpusWords.plainOpenings)) \(site) \(random.pick(CorpusWords.plainEndings))."
        let context = sentences(random.int(2...3), site: site, action: action, &random)
        let specialties = random.distinct(random.int(1...3), of: CorpusWords.specialties)
        var lines = [
            "  - code: \"\(code)\"",
            "    title: \(title)",
            "    also_known_as: [\(synonyms.joined(separator: ", "))]",
            "    description: >-",
        ]
        lines += wrapped(description)
        lines.append("    plain_language: \(plain)")
        lines.append("    clinical_context: >-")
        lines += wrapped(context)
        lines.append("    specialties: [\(specialties.joined(separator: ", "))]")
        if random.oneIn(6) {
            lines.append("    modifier_notes:")
            for modifier in random.distinct(random.int(1...2), of: CorpusWords.modifiers) {
                lines.append("      \"\(modifier)\": \(random.pick(CorpusWords.modifierNotes)) \(site).")
            }
        }
        if random.oneIn(25) {
            lines.append("    billing_notes: \(random.pick(CorpusWords.billingNotes))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `count` sentences about the site.
    private func sentences(_ count: Int, site: String, action: String, _ random: inout CorpusRandom) -> String {
        (0..<count).map { _ in
            "\(random.pick(CorpusWords.subjects)) \(random.pick(CorpusWords.verbs)) \(random.pick(CorpusWords.objects)) of the \(site), "
                + "\(random.pick(CorpusWords.clauses))."
        }.joined(separator: " ")
    }

    /// Text as the lines of a folded block, indented six spaces, about 100 columns wide.
    private func wrapped(_ text: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + word.count + 1 > 94 {
                lines.append("      " + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append("      " + line) }
        return lines
    }

    /// `categories.yaml`: notes for each category.
    private func categoryNotes(_ categories: [String]) -> String {
        var text = "# Synthetic category notes (rvusamples --curated-corpus).\ncategories:\n"
        for category in categories {
            var random = CorpusRandom(seed: seed, text: "category:" + category)
            text += "  - category: \(category)\n    billing_notes: >-\n"
            text += wrapped((0..<3).map { _ in random.pick(CorpusWords.billingNotes) }.joined(separator: " ")).joined(separator: "\n")
            text += "\n    documentation_notes: >-\n"
            text += wrapped((0..<2).map { _ in random.pick(CorpusWords.documentationNotes) }.joined(separator: " ")).joined(separator: "\n")
            text += "\n"
        }
        return text
    }
}

extension String {
    /// The text with its first letter in capitals.
    fileprivate var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}
