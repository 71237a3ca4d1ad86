import RVUCatalog
import RVUCore

/// A code's page as HTML: the sections of the app's page in its order (those without content
/// left out), saying what the text page says (``CodePageRenderer``). Every text is escaped; the
/// only links are relative ones inside the preview site (the page lives in `codes/`).
public enum CodePageHTML {
    /// What changed on a page since an older catalog (`--compare`).
    public struct Changes: Sendable {
        /// The older catalog's release (`RVU25D`).
        public var since: String
        /// True when the code is not in the older catalog.
        public var isNew: Bool
        /// One line a change, in words (`Work RVU, global: 1.30 → 1.40`).
        public var lines: [String]

        public init(since: String, isNew: Bool, lines: [String]) {
            self.since = since
            self.isNew = isNew
            self.lines = lines
        }
    }

    /// The page of `page`, with what changed when given.
    public static func render(_ page: CodePage, changes: Changes? = nil) -> String {
        let e = HTMLText.escape
        let title = CodePageRenderer.title(page)
        var out = head(title: "\(page.code): \(title)", root: "../")
        out += header(releaseID: page.releaseID, root: "../")
        out += "<main id=\"main\">\n<article>\n<h1><span class=\"code\">\(e(page.code))</span> \(e(title))</h1>\n"
        out += "<p class=\"category\">\(e(page.categoryName))</p>\n"
        if page.titleSource == "cms" { out += "<p class=\"note\">Title: CMS HCPCS Level II descriptor.</p>\n" }
        if !page.inRelease { out += "<p class=\"note\">Not in the \(e(page.releaseID)) fee schedule: content only.</p>\n" }
        if let changes {
            out += section("changes", "Changes since \(changes.since)") {
                if changes.isNew { return "<p>New: not in \(e(changes.since)).</p>\n" }
                return "<ul>\n" + changes.lines.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
            }
        }
        if !page.synonyms.isEmpty {
            out += section("also-known-as", "Also known as") {
                "<ul class=\"inline\">\n" + page.synonyms.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
            }
        }
        for (id, heading, text) in [
            ("description", "Description", page.description), ("plain-language", "In Plain Language", page.plainLanguage),
            ("clinical-context", "Clinical Context", page.clinicalContext),
        ] {
            if let text, !text.isEmpty { out += section(id, heading) { "<p>\(e(text))</p>\n" } }
        }
        if !page.rows.isEmpty {
            out += section("rvu", "RVU Information") {
                var body = "<p>RVUs and national payment, \(e(page.releaseID)).</p>\n"
                for row in page.rows {
                    body += "<h3>\(e(page.code)) \(e(CodePageRenderer.rowLabel(row)))</h3>\n<dl>\n"
                    for (name, value) in CodePageRenderer.rowFields(row) {
                        guard let value, !value.isEmpty else { continue }
                        if let name {
                            body += "<dt>\(e(name))</dt><dd>\(e(value))</dd>\n"
                        } else {
                            body += "<dd class=\"why\">\(e(value))</dd>\n"
                        }
                    }
                    body += "</dl>\n"
                }
                return body
            }
        }
        var billing: [(String, String)] = []
        if let notes = page.billingNotes, !notes.isEmpty { billing.append(("Billing", notes)) }
        if let notes = page.documentationNotes, !notes.isEmpty { billing.append(("Documentation", notes)) }
        billing += page.modifierNotes.map { ("Modifier \($0.modifier)", $0.note) }
        if !billing.isEmpty {
            out += section("billing", "Billing & Documentation") {
                "<dl>\n" + billing.map { "<dt>\(e($0.0))</dt><dd>\(e($0.1))</dd>\n" }.joined() + "</dl>\n"
            }
        }
        if !page.specialties.isEmpty {
            out += section("specialties", "Specialties") {
                "<ul class=\"inline\">\n" + page.specialties.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
            }
        }
        let faq = questions(page)
        if !faq.isEmpty {
            out += section("faq", "Frequently Asked Questions") {
                faq.map { "<h3>\(e($0.question))</h3>\n<p>\(e($0.answer))</p>\n" }.joined()
            }
        }
        out += "</article>\n</main>\n"
        out += footer(notices: CodePageRenderer.notices(page), releaseID: page.releaseID)
        return out
    }

    /// The questions of the page, built from its fields: what the code is, when it is used (with
    /// a clinical context), and a coverage question suited to the category.
    static func questions(_ page: CodePage) -> [(question: String, answer: String)] {
        let set =
            switch page.codeSet {
            case "cpt": "CPT"
            case "cdt": "CDT"
            default: "HCPCS Level II"
            }
        var what =
            page.title.map { "\(page.code) is the \(set) code for: \($0)." } ?? "\(page.code) is a \(set) code (\(page.categoryName))."
        if let description = page.description, !description.isEmpty { what += " " + description }
        var faq = [("What is code \(page.code)?", what)]
        if let context = page.clinicalContext, !context.isEmpty { faq.append(("When is \(page.code) used?", context)) }
        let question =
            switch page.codeSet {
            case "cdt": "Does Medicare cover dental code \(page.code)?"
            case "hcpcs": "Does Medicare pay for \(page.code)?"
            default:
                page.rows.contains { $0.modifier == "26" } && page.rows.contains { $0.modifier == "TC" }
                    ? "Does Medicare cover \(page.code), and its reading and technical parts?" : "Does Medicare cover \(page.code)?"
            }
        guard let global = page.rows.first(where: { $0.modifier.isEmpty && $0.variant == "general" }) ?? page.rows.first else {
            faq.append(
                (question, "\(page.code) is not in the \(page.releaseID) fee schedule: CMS publishes no RVUs for it in this release."))
            return faq
        }
        var answer = "Status \(global.status): \(IndicatorMeanings.status(global.status))"
        if global.nonfacilityPayment != nil || global.facilityPayment != nil {
            answer +=
                " The national payment in \(page.releaseID) is \(CodePageRenderer.money(global.nonfacilityPayment) ?? "not paid") in an office (non-facility) and \(CodePageRenderer.money(global.facilityPayment) ?? "not paid") in a facility."
        } else if let why = CodePageRenderer.noWorkExplanation(global) {
            answer += " " + why
        }
        for modifier in ["26", "TC"] {
            guard let part = page.rows.first(where: { $0.modifier == modifier && $0.variant == "general" }),
                let amount = CodePageRenderer.money(part.nonfacilityPayment ?? part.facilityPayment)
            else { continue }
            answer +=
                " Billed alone, \(modifier == "26" ? "the reading and report (modifier 26)" : "the technical part (modifier TC)") pays \(amount)."
        }
        faq.append((question, answer))
        return faq
    }

    static func section(_ id: String, _ heading: String, _ body: () -> String) -> String {
        "<section aria-labelledby=\"\(id)\">\n<h2 id=\"\(id)\">\(HTMLText.escape(heading))</h2>\n\(body())</section>\n"
    }

    /// The document's start up to `<body>`. The policy allows the site's own script and
    /// stylesheet files only: no inline script, no handler attribute, nothing from the network.
    static func head(title: String, root: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'">
        <title>\(HTMLText.escape(title))</title>
        <link rel="stylesheet" href="\(root)style.css">
        </head>
        <body>

        """
    }

    static func header(releaseID: String, root: String) -> String {
        """
        <header>
        <p class="site"><a href="\(root)index.html">Code pages, \(HTMLText.escape(releaseID))</a></p>
        <nav aria-label="Site">
        <ul><li><a href="\(root)index.html">All codes</a></li><li><a href="\(root)search.html">Search</a></li></ul>
        </nav>
        </header>

        """
    }

    static func footer(notices: [String], releaseID: String) -> String {
        "<footer>\n" + notices.map { "<p>\(HTMLText.escape($0))</p>\n" }.joined()
            + "<p>Data sourced from CMS Physician Fee Schedule \(HTMLText.escape(releaseID))</p>\n</footer>\n</body>\n</html>\n"
    }
}
