import RVUCatalog
import RVUCore
import RVUMerge

/// YAML stubs for editors to fill: one entry per code in the house format, every required key
/// present with the placeholder word (`TODO`, lists as `[TODO]`), which the curated content's
/// check reports as an error until it is replaced. With a catalog, a HCPCS Level II code's
/// public CMS descriptor is written as a comment, as a hint; CPT and CDT text never is.
public struct CuratedScaffold: Sendable {
    /// One stub: the code and, for a HCPCS Level II code, CMS's public descriptor.
    public struct Stub: Sendable, Equatable {
        public let code: String
        public let hint: String?
    }

    /// The stubs, in code order, each code once.
    public let stubs: [Stub]
    /// Malformed codes (errors: nothing may be written), codes given twice, codes the catalog's
    /// release does not list, codes it has curated already (warnings).
    public let diagnostics: [Diagnostic]

    /// Why `code` cannot have a stub (nil when it can): only codes of a known form, which are
    /// five ASCII digits and capital letters, so a stub never holds text from its input.
    public static func problem(with code: String) -> String? {
        guard CodeCategory.of(code) == nil else { return nil }
        return
            "'\(SourceLocation.escaped(code))' is not a HCPCS code (five characters, letters in capitals: 99213, 0001F, 0042T, 0001U, D0386, G0105)"
    }

    /// Stubs for `codes`; `source` names where the codes came from in diagnostics (the worklist
    /// file, or nil for the command line). With `catalog` (its codes by ``CatalogReader/codeTitles()``)
    /// and `release`, hints and warnings from the catalog.
    public init(codes: [String], source: String? = nil, catalog: [String: CodeTitle]? = nil, release: String? = nil) {
        var diagnostics: [Diagnostic] = []
        let location = source.map { SourceLocation(file: $0) }
        var seen = Set<String>()
        var stubs: [Stub] = []
        for code in codes {
            if let problem = Self.problem(with: code) {
                diagnostics.append(.error(.scaffoldMalformedCode, problem, at: location))
                continue
            }
            guard seen.insert(code).inserted else {
                diagnostics.append(.warning(.scaffoldDuplicate, "\(code) is given more than once; it gets one stub", at: location))
                continue
            }
            var hint: String?
            if let catalog {
                let release = release ?? "the catalog"
                let entry = catalog[code]
                if entry?.inRelease != true {
                    diagnostics.append(
                        .warning(
                            .scaffoldNotInRelease,
                            "\(code) is not in \(release)'s release: its entry would stay content-only; check the code", at: location))
                }
                if entry?.titleSource == "curated" {
                    diagnostics.append(
                        .warning(
                            .scaffoldCurated,
                            "\(code) has a curated entry already in \(release): a second one is an error; edit the existing entry",
                            at: location))
                }
                // Only HCPCS Level II descriptors are public: the category comes from the code
                // itself, so a licensed catalog's CPT or CDT title is never copied.
                if let entry, entry.titleSource == "cms", let title = entry.title, CodeCategory.of(code)?.descriptorIsProprietary == false {
                    hint = Self.commentText(title)
                }
            }
            stubs.append(Stub(code: code, hint: hint))
        }
        self.stubs = stubs.sorted { $0.code < $1.code }
        self.diagnostics = diagnostics
    }

    /// `text` on one comment line: what any YAML reader could take as a line break or refuse
    /// (control characters, NEL, the line and paragraph separators YAML 1.1 breaks lines on,
    /// format characters such as a byte order mark or a direction override, noncharacters)
    /// becomes a space, so that nothing of a descriptor can leave its comment.
    package static func commentText(_ text: String) -> String {
        let unsafe: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator, .surrogate]
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    unsafe.contains($0.properties.generalCategory) || $0.properties.isNoncharacterCodePoint ? " " : $0
                })
        ).trimmingSpaces
    }

    /// The stubs as a curated YAML file.
    public var yaml: String {
        let placeholder = CuratedContentParser.placeholder
        var lines = [
            "# Stubs written by `rvuimport curated scaffold`. Replace every \(placeholder) with your own words",
            "# (docs/curated-content.md), then run `rvuimport curated check`: a \(placeholder) left is an error.",
        ]
        guard !stubs.isEmpty else { return (lines + ["codes: []"]).joined(separator: "\n") + "\n" }
        lines.append("codes:")
        for stub in stubs {
            lines.append("  - code: \"\(stub.code)\"")
            if let hint = stub.hint { lines.append("    # CMS descriptor (public, HCPCS Level II): \(hint)") }
            for key in CuratedContentParser.requiredTextKeys {
                lines.append("    \(key): \(placeholder)")
                // Synonyms follow the title, as in the house format.
                if key == "title" { lines.append("    also_known_as: [\(placeholder)]") }
            }
            lines.append("    specialties: [\(placeholder)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
