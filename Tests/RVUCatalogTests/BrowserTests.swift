import Foundation
import GRDB
import RVUCore
import RVUPipeline
import RVUReports
import RVUTestSupport
import Testing

@testable import RVUCatalog

/// The preview site opened from `file://` in headless Chromium: what people see after the
/// browser parsed the pages and ran the search script. Each test starts the browser once or twice
/// (about 2 s a run); the suites run one test at a time so that two browsers never share the
/// machine's cores.
enum BrowserSite {
    static let skipMessage = "no headless browser: install Debian's chromium (.ci/run does) or set CHROMIUM to run the browser tests"

    /// Where screenshots go: `$RVU_TEST_OUTPUT`, else `.build/test-output` in the repository.
    static let outputFolder: String = {
        if let folder = ProcessInfo.processInfo.environment["RVU_TEST_OUTPUT"], !folder.isEmpty { return folder }
        return repositoryRoot.appendingPathComponent(".build/test-output").path
    }()

    static let scriptTitle = "<script>document.title=/pwned-1/.source</script>"
    static let imageSynonym = "<img src=x onerror=document.title=/pwned-2/.source>"

    /// The sample RVU26A catalog's site.
    static let sample: Result<(catalog: String, site: String), any Error> = Result {
        let catalog = try SiteSamples.catalogs.get().new
        return (catalog, try SiteSamples.site(catalog))
    }

    /// The site of the sample RVU26A with a title and a synonym of 71250 that would change the
    /// document's title if they ran as HTML.
    static let hostile: Result<String, any Error> = Result {
        let folder = "\(SiteSamples.folder)/browser-hostile"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Samples/curated").path, toPath: "\(folder)/curated")
        let yaml = "\(folder)/curated/codes/radiology.yaml"
        let original = try String(contentsOfFile: yaml, encoding: .utf8)
        let text =
            original
            .replacingOccurrences(of: "title: CT of the chest without contrast", with: "title: '\(scriptTitle)'")
            .replacingOccurrences(of: "also_known_as: [chest CT, thoracic CT]", with: "also_known_as: ['\(imageSynonym)']")
        guard text.contains(scriptTitle), text.contains(imageSynonym) else {
            throw DiagnosticError(.internalError, "Samples/curated/codes/radiology.yaml changed: 71250's title not found", at: nil)
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: yaml))
        let result = try Pipeline.run(
            release: try ReleaseID(parsing: "RVU26A"),
            options: .init(
                source: repositoryRoot.appendingPathComponent("Samples/releases").path, curated: "\(folder)/curated",
                output: "\(folder)/hostile.sqlite", strict: false))
        guard result.written != nil else {
            throw DiagnosticError(.internalError, "hostile catalog not written: \(result.diagnostics)", at: nil)
        }
        return try SiteSamples.site("\(folder)/hostile.sqlite")
    }

    static func url(_ site: String, _ file: String, query: String? = nil) -> URL {
        var components = URLComponents()
        components.scheme = "file"
        components.path = "\(site)/\(file)"
        if let query { components.queryItems = [URLQueryItem(name: "q", value: query)] }
        return components.url ?? URL(fileURLWithPath: "\(site)/\(file)")
    }

    /// The sections a page of `page` has, in order, with the catalog's text each must show.
    static func expectedSections(_ page: CodePage, catalog: CatalogReader) throws -> [(id: String, heading: String, texts: [String])] {
        var sections: [(id: String, heading: String, texts: [String])] = []
        if !page.synonyms.isEmpty { sections.append(("also-known-as", "Also known as", page.synonyms)) }
        for (id, heading, text) in [
            ("description", "Description", page.description), ("plain-language", "In Plain Language", page.plainLanguage),
            ("clinical-context", "Clinical Context", page.clinicalContext),
        ] {
            if let text, !text.isEmpty { sections.append((id, heading, [text])) }
        }
        if !page.rows.isEmpty { sections.append(("rvu", "RVU Information", try storedValues(page.code, catalog: catalog))) }
        let billing =
            [page.billingNotes, page.documentationNotes].compactMap { $0 }.filter { !$0.isEmpty } + page.modifierNotes.map(\.note)
        if !billing.isEmpty { sections.append(("billing", "Billing & Documentation", billing)) }
        if !page.specialties.isEmpty { sections.append(("specialties", "Specialties", page.specialties)) }
        sections.append(("faq", "Frequently Asked Questions", ["What is code \(page.code)?"] + [page.title].compactMap { $0 }))
        return sections
    }

    /// The status, work RVU and national payments of the code's global row, as stored in the
    /// catalog's tables (not through ``CodePage``), in the words the page shows them.
    static func storedValues(_ code: String, catalog: CatalogReader) throws -> [String] {
        let row = try catalog.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT r.status, r.work_rvu, p.nonfacility_amount, p.facility_amount
                    FROM rvu r LEFT JOIN national_payment p USING (hcpcs, modifier, variant)
                    WHERE r.hcpcs = ? ORDER BY r.modifier, r.variant LIMIT 1
                    """, arguments: [code])
        }
        guard let row else { return [] }
        var texts = ["Status \(row["status"] as String? ?? "")"]
        for (column, words) in [("work_rvu", "Work RVU "), ("nonfacility_amount", "$"), ("facility_amount", "$")]
        where !(row[column] as DatabaseValue).isNull {
            texts.append(words + CatalogDump.format(row[column], scale: 2))
        }
        return texts
    }

    /// The codes the search should list for `term` (one term), in its order: the code itself
    /// first, then codes starting with the term or with a word starting with it, in code order.
    static func expectedResults(_ pages: [CodePage], term: String) -> [String] {
        let prefix = term.hasSuffix("*") ? String(term.dropLast()) : term
        let found = pages.filter { page in
            let text = ([page.title ?? ""] + page.synonyms + [page.description ?? "", page.plainLanguage ?? ""]).joined(separator: " ")
            let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }
            return page.code.lowercased().hasPrefix(prefix) || words.contains { $0.hasPrefix(prefix) }
        }.map(\.code)
        let exact = found.filter { $0.lowercased() == term }
        return Array((exact + found.filter { $0.lowercased() != term }).prefix(200))
    }

    /// Checks the DOM of a code page against the catalog: title, heading, category, every
    /// section in order with its text, and the footer.
    static func checkPage(_ dom: String, _ page: CodePage, catalog: CatalogReader) throws {
        let title = page.title ?? ""
        #expect(DOMText.element("title", in: dom).hasPrefix("\(page.code): \(title)"), "\(page.code)")
        #expect(DOMText.element("h1", in: dom) == "\(page.code) \(title)", "\(page.code)")
        #expect(DOMText.element("p class=\"category\"", in: dom) == page.categoryName, "\(page.code)")
        let expected = try expectedSections(page, catalog: catalog)
        #expect(DOMText.sectionIDs(in: dom) == expected.map(\.id), "\(page.code): the sections and their order")
        for section in expected {
            let shown = DOMText.section(section.id, in: dom)
            #expect(shown.hasPrefix(section.heading), "\(page.code) \(section.id): \(shown.prefix(80))")
            for text in section.texts {
                #expect(shown.contains(DOMText.collapsed(text)), "\(page.code) \(section.id) lacks \"\(text)\"")
            }
        }
        let footer = DOMText.element("footer", in: dom)
        #expect(footer.hasSuffix("Data sourced from CMS Physician Fee Schedule \(page.releaseID)"), "\(page.code)")
        if let notice = ["cdt": "American Dental Association", "cpt": "American Medical Association"][page.codeSet] {
            #expect(footer.contains(notice), "\(page.code)")
        }
    }

    /// The codes listed by the search page's results, in order.
    static func results(_ dom: String) -> [String] {
        let list = DOMText.raw("ol id=\"results\" class=\"codes\"", in: dom)
        return DOMText.matches(#"<a href="[^"]*">([^<]*)</a>"#, in: list)
    }
}

/// Reading a serialized DOM in tests: the text of an element or a section, tags removed,
/// entities decoded and white space collapsed, as a reader sees it.
enum DOMText {
    /// The inner HTML of the first element opened by `<OPEN>` (its tag and attributes as
    /// serialized); elements of that name must not nest.
    static func raw(_ open: String, in dom: String) -> String {
        let name = String(open.prefix { $0 != " " })
        guard let start = dom.range(of: "<\(open)>"), let end = dom.range(of: "</\(name)>", range: start.upperBound..<dom.endIndex) else {
            return ""
        }
        return String(dom[start.upperBound..<end.lowerBound])
    }

    static func element(_ open: String, in dom: String) -> String { text(raw(open, in: dom)) }

    /// The text of `<section aria-labelledby="ID">`.
    static func section(_ id: String, in dom: String) -> String { element("section aria-labelledby=\"\(id)\"", in: dom) }

    /// The ids of the page's sections, in order.
    static func sectionIDs(in dom: String) -> [String] { matches(#"<section aria-labelledby="([^"]+)">"#, in: dom) }

    /// The first capture group of each match of `pattern`.
    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// HTML to text: tags become spaces, the entities a DOM serializer writes are decoded.
    static func text(_ html: String) -> String {
        let stripped = html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        let decoded = stripped.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        return collapsed(decoded)
    }

    static func collapsed(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}

@Suite(.serialized, .enabled(if: HeadlessBrowser.available, "\(BrowserSite.skipMessage)"))
struct BrowserTests {
    @Test(arguments: ["D0386", "99213"])
    func aPageShowsEachSectionWithTheCatalogsText(code: String) throws {
        let (catalog, site) = try BrowserSite.sample.get()
        let reader = try CatalogReader(path: catalog)
        let page = try #require(try reader.page(for: code))
        let dom = try HeadlessBrowser.dom(of: BrowserSite.url(site, "codes/\(code).html"))
        try BrowserSite.checkPage(dom, page, catalog: reader)
    }

    @Test func theSearchPageFindsCodesByNumberPrefixAndWord() throws {
        let (catalog, site) = try BrowserSite.sample.get()
        let reader = try CatalogReader(path: catalog)
        let pages = try reader.pages()
        let title = try #require(try reader.page(for: "D0386")?.title)
        let word = String(try #require(title.lowercased().split(separator: " ").max { $0.count < $1.count }))
        for query in ["99213", "9921*", word] {
            let expected = BrowserSite.expectedResults(pages, term: query)
            #expect(!expected.isEmpty, "\(query)")
            let dom = try HeadlessBrowser.dom(of: BrowserSite.url(site, "search.html", query: query))
            #expect(BrowserSite.results(dom) == expected, "search.html?q=\(query)")
            let status = DOMText.element("p id=\"search-status\" aria-live=\"polite\"", in: dom)
            #expect(status.hasPrefix("\(expected.count) code"), "\(query): \(status)")
        }
    }

    @Test func aHostileTitleStaysTextAndNoScriptRuns() throws {
        let site = try BrowserSite.hostile.get()
        let page = try HeadlessBrowser.dom(of: BrowserSite.url(site, "codes/71250.html"))
        // Had the title's script or the synonym's handler run, the document's title would be
        // "pwned-1" or "pwned-2".
        #expect(DOMText.element("title", in: page) == "71250: \(BrowserSite.scriptTitle)")
        #expect(DOMText.element("h1", in: page) == "71250 \(BrowserSite.scriptTitle)")
        #expect(DOMText.section("also-known-as", in: page) == "Also known as \(BrowserSite.imageSynonym)")
        #expect(!page.contains("<script") && !page.contains("<img"))

        let search = try HeadlessBrowser.dom(of: BrowserSite.url(site, "search.html", query: "71250"))
        #expect(BrowserSite.results(search).first == "71250", "the search script ran")
        #expect(DOMText.element("title", in: search).hasPrefix("Search codes"))
        #expect(DOMText.element("ol id=\"results\" class=\"codes\"", in: search).contains("71250 \(BrowserSite.scriptTitle)"))
        #expect(!search.contains("<img"))
        #expect(DOMText.matches(#"<script([^>]*)>"#, in: search) == [" src=\"search-index.js\"", " src=\"search.js\""])
    }

    @Test func aScreenshotOfD0386IsWritten() throws {
        let (_, site) = try BrowserSite.sample.get()
        try FileManager.default.createDirectory(atPath: BrowserSite.outputFolder, withIntermediateDirectories: true)
        let file = "\(BrowserSite.outputFolder)/D0386.png"
        try? FileManager.default.removeItem(atPath: file)
        try HeadlessBrowser.screenshot(of: BrowserSite.url(site, "codes/D0386.html"), to: file, width: 900, height: 1400)
        print("BrowserTests: screenshot of codes/D0386.html written to \(file)")
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG signature")
        #expect(png.count > 33 && png[12..<16].elementsEqual("IHDR".utf8))
        func integer(_ offset: Int) -> Int { png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        if png.count > 33 { #expect((integer(16), integer(20)) == (900, 1400), "the window's size") }
        // A blank 900 x 1400 PNG compresses to a few KB; the page's text makes it larger.
        #expect(png.count > 20_000, "\(png.count) bytes")
    }
}

@Suite struct BrowserInCITests {
    @Test(.enabled(if: HeadlessBrowser.inCI, "runs in CI (CI=true) only"))
    func ciHasTheBrowser() {
        #expect(HeadlessBrowser.available, "CI=true but no chromium on the PATH: .ci/run installs it, else set CHROMIUM")
    }
}

@Suite(
    .serialized, .enabled(if: HeadlessBrowser.available, "\(BrowserSite.skipMessage)"),
    .enabled(if: RealCatalog.available, "set RVU_SHARED_CMS to the folder holding RVU24B.zip (../shared/cms) to run"))
struct RealSiteBrowserTests {
    static let site: Result<(catalog: String, site: String), any Error> = Result {
        let (_, catalog) = try RealCatalog.built.get()
        return (catalog, try SiteSamples.site(catalog))
    }

    @Test func aPageAndASearchByNumber() throws {
        let (catalog, site) = try Self.site.get()
        let reader = try CatalogReader(path: catalog)
        let page = try #require(try reader.page(for: "27447"))
        #expect(page.releaseID == "RVU24B" && !page.rows.isEmpty)
        try BrowserSite.checkPage(try HeadlessBrowser.dom(of: BrowserSite.url(site, "codes/27447.html")), page, catalog: reader)

        let expected = BrowserSite.expectedResults(try reader.pages(), term: "99213")
        #expect(expected.first == "99213")
        let dom = try HeadlessBrowser.dom(of: BrowserSite.url(site, "search.html", query: "99213"))
        #expect(BrowserSite.results(dom) == expected)
    }
}
