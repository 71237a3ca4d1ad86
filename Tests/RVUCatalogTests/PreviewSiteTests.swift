import Foundation
import GRDB
import RVUCore
import RVUPipeline
import RVUReports
import Testing

@testable import RVUCatalog

/// The sample catalogs, built once for the preview-site tests: RVU26A, RVU25D, and RVU26A with
/// hostile curated titles.
enum SiteSamples {
    static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
    static let hostileTitle = "<script>alert(1)</script>"
    static let hostileSynonym = "\"><img src=x onerror=alert(2)>"

    static let catalogs: Result<(new: String, old: String, hostile: String), any Error> = Result {
        _ = try buildSampleCatalog("RVU26A", output: "\(folder)/RVU26A.sqlite")
        _ = try buildSampleCatalog("RVU25D", output: "\(folder)/RVU25D.sqlite")
        let curated = "\(folder)/curated"
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Samples/curated").path, toPath: curated)
        let yaml = "\(curated)/codes/radiology.yaml"
        let text = try String(contentsOfFile: yaml, encoding: .utf8)
            .replacingOccurrences(of: "title: CT of the chest without contrast", with: "title: '\(hostileTitle)'")
            .replacingOccurrences(
                of: "also_known_as: [chest CT, thoracic CT]", with: "also_known_as: ['\(hostileSynonym)', '</script>x']")
        try Data(text.utf8).write(to: URL(fileURLWithPath: yaml))
        let result = try Pipeline.run(
            release: try ReleaseID(parsing: "RVU26A"),
            options: .init(
                source: repositoryRoot.appendingPathComponent("Samples/releases").path, curated: curated,
                output: "\(folder)/hostile.sqlite", strict: false))
        guard result.written != nil else {
            throw DiagnosticError(.internalError, "hostile catalog not written: \(result.diagnostics)", at: nil)
        }
        // A line separator, which ends a string in older JavaScript, cannot come from the YAML (a
        // synonym is one line): edited into the catalog, as a hand-edited file could hold it.
        let queue = try DatabaseQueue(path: "\(folder)/hostile.sqlite")
        try queue.write { db in
            try db.execute(sql: "UPDATE code_synonym SET synonym = ? WHERE synonym = '</script>x'", arguments: ["</script>\u{2028}x"])
            #expect(db.changesCount == 1)
        }
        try queue.close()
        return ("\(folder)/RVU26A.sqlite", "\(folder)/RVU25D.sqlite", "\(folder)/hostile.sqlite")
    }

    /// The site of `catalog`, written to a new folder.
    static func site(_ catalog: String, compare: String? = nil) throws -> String {
        let output = "\(folder)/site-\(UUID().uuidString)"
        try PreviewSite.build(catalog: CatalogReader(path: catalog), compare: compare.map { try CatalogReader(path: $0) }).write(to: output)
        return output
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}

@Suite struct PreviewSiteTests {
    @Test func aPageHasTheSectionsInTheAppsOrderWithTheCatalogsText() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let page = try #require(try CatalogReader(path: catalogs.new).page(for: "D0386"))
        let html = CodePageHTML.render(page)
        let marks = [
            "<h1><span class=\"code\">D0386</span> Maxillofacial ultrasound image capture</h1>",
            "<p class=\"category\">Dental procedures (CDT)</p>", ">Also known as</h2>", "<li>dental ultrasound</li>",
            ">Description</h2>", "Capture of ultrasound images of the jaw", ">In Plain Language</h2>", ">Clinical Context</h2>",
            ">RVU Information</h2>", "No RVUs are assigned: the Medicare contractor prices the service, if it is covered.",
            ">Billing &amp; Documentation</h2>", "Record the area imaged and why", ">Specialties</h2>",
            ">Frequently Asked Questions</h2>", "<h3>What is code D0386?</h3>", "<h3>When is D0386 used?</h3>",
            "<h3>Does Medicare cover dental code D0386?</h3>", "CDT is a registered trademark of the American Dental Association",
            "Data sourced from CMS Physician Fee Schedule RVU26A",
        ]
        var position = html.startIndex
        for mark in marks {
            let found = try #require(html.range(of: mark, range: position..<html.endIndex), "\(mark) missing or out of order")
            position = found.upperBound
        }
        #expect(!html.contains("American Medical Association"))
    }

    @Test func aSectionWithoutContentIsLeftOut() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let pages = try CatalogReader(path: catalogs.new).pages()
        let bare = try #require(pages.first { $0.synonyms.isEmpty && $0.clinicalContext == nil && $0.specialties.isEmpty })
        let html = CodePageHTML.render(bare)
        for heading in ["Also known as", "Clinical Context", "Specialties", "When is"] { #expect(!html.contains(heading), "\(bare.code)") }
        #expect(html.contains("<h3>What is code \(bare.code)?</h3>"))
    }

    @Test func theBulkReadGivesWhatTheOneCodeReadGives() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let reader = try CatalogReader(path: catalogs.new)
        for page in try reader.pages() {
            let one = try #require(try reader.page(for: page.code))
            #expect(CodePageRenderer.render(one, format: .json) == CodePageRenderer.render(page, format: .json))
            #expect(CodePageHTML.render(one) == CodePageHTML.render(page))
        }
    }

    @Test func theSiteIsDeterministicAndShowPrintsTheSamePage() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let first = try SiteSamples.site(catalogs.new)
        let second = try SiteSamples.site(catalogs.new)
        let files = try FileManager.default.subpathsOfDirectory(atPath: first).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: second).sorted()))
        #expect(files.contains("codes/D0386.html") && files.contains("index.html") && files.contains("search-index.js"))
        for file in files where file.contains(".") {
            #expect(FileManager.default.contentsEqual(atPath: "\(first)/\(file)", andPath: "\(second)/\(file)"), "\(file)")
        }
        let page = try #require(try CatalogReader(path: catalogs.new).page(for: "D0386"))
        #expect(CodePageRenderer.render(page, format: .html) == (try SiteSamples.read("\(first)/codes/D0386.html")))
    }

    @Test func compareShowsChangesAndListsChangedCodesFirst() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let site = try SiteSamples.site(catalogs.new, compare: catalogs.old)
        let page = try SiteSamples.read("\(site)/codes/D0386.html")
        #expect(page.contains("<h2 id=\"changes\">Changes since RVU25D</h2>"))
        #expect(page.contains("<li>conversion_factor, global: 32.3465 → 33.4009</li>"))
        let index = try SiteSamples.read("\(site)/index.html")
        let changed = try #require(index.range(of: "<h2 id=\"changed\">Changed since RVU25D"))
        let categories = try #require(index.range(of: "<h2 id=\"categories\">"))
        #expect(changed.lowerBound < categories.lowerBound)
        #expect(!(try SiteSamples.read("\(try SiteSamples.site(catalogs.new))/codes/D0386.html")).contains("Changes since"))
    }

    @Test func hostileCuratedTextStaysText() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let site = try SiteSamples.site(catalogs.hostile)
        for file in ["codes/71250.html", "index.html"] {
            let html = try SiteSamples.read("\(site)/\(file)")
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(file)")
            #expect(!html.contains("<script>alert") && !html.contains("<img"), "\(file)")
            #expect(!html.contains(" on") || !html.contains("onerror=alert(2)>"), "\(file)")
        }
        let page = try SiteSamples.read("\(site)/codes/71250.html")
        #expect(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        let data = try SiteSamples.read("\(site)/search-index.js")
        #expect(!data.contains("<") && !data.contains(">") && !data.contains("\u{2028}") && data.allSatisfy(\.isASCII))
        #expect(data.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"))
        // No page has an inline script or a handler attribute.
        for file in try FileManager.default.subpathsOfDirectory(atPath: site) where file.hasSuffix(".html") {
            let html = try SiteSamples.read("\(site)/\(file)")
            #expect(!html.contains("<script>") && html.range(of: #"<[^>]* on[a-z]+="#, options: .regularExpression) == nil, "\(file)")
            #expect(!html.contains("href=\"/") && !html.contains("http:") && !html.contains("https:"), "\(file)")
        }
    }

    @Test func anUnsafeCodeIsRefused() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let copy = "\(SiteSamples.folder)/unsafe-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: catalogs.new, toPath: copy)
        try CatalogEditor.execute(
            copy,
            sql:
                "INSERT INTO code (code, title, title_source, category, in_release) SELECT '../../x', title, title_source, category, in_release FROM code WHERE code = '99213'"
        )
        #expect(
            PreviewSite.isSafeCode("D0386") && !PreviewSite.isSafeCode("../x") && !PreviewSite.isSafeCode("")
                && !PreviewSite.isSafeCode("a/b"))
        do {
            _ = try PreviewSite.build(catalog: CatalogReader(path: copy))
            Issue.record("an unsafe code was let through")
        } catch {
            #expect(error.diagnostic.code == .unsafeCode && error.diagnostic.message.contains("'../../x'"))
        }
    }

    @Test func theOutputIsAFolderWrittenWholeOrNotAtAll() throws {
        let catalogs = try SiteSamples.catalogs.get()
        let site = try PreviewSite.build(catalog: CatalogReader(path: catalogs.new))
        let base = "\(SiteSamples.folder)/out-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // A file and a FIFO at the output path are refused and left alone.
        try Data("keep".utf8).write(to: URL(fileURLWithPath: "\(base)/file"))
        #expect(mkfifo("\(base)/fifo", 0o600) == 0)
        for name in ["file", "fifo"] {
            #expect(throws: DiagnosticError.self) { try site.write(to: "\(base)/\(name)") }
        }
        #expect(try SiteSamples.read("\(base)/file") == "keep")
        // A folder holding other files is refused and left whole.
        try FileManager.default.createDirectory(atPath: "\(base)/home", withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: "\(base)/home/notes.txt"))
        do {
            try site.write(to: "\(base)/home")
            Issue.record("a folder that is not a site was replaced")
        } catch {
            #expect(error.diagnostic.message.contains("not a preview site"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(base)/home") == ["notes.txt"])
        // A site is replaced whole, and nothing is left beside it.
        try site.write(to: "\(base)/site")
        try Data("stale".utf8).write(to: URL(fileURLWithPath: "\(base)/site/codes/STALE.html"))
        try site.write(to: "\(base)/site")
        #expect(!FileManager.default.fileExists(atPath: "\(base)/site/codes/STALE.html"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: base).sorted() == ["fifo", "file", "home", "site"])
    }
}
