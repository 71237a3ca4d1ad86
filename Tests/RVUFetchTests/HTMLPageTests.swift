import Foundation
import RVUCore
import Testing

@testable import RVUFetch

@Suite struct HTMLPageTests {
    @Test func linksAndFormsAreReadFromForgivingHTML() throws {
        let html = """
            <html><head><title> PFS   Relative Value Files </title></head><body>
            <p>Unclosed <b>tags <a href="rvu26a">RVU26A</a>
            <a href="/files/zip/rvu25d.zip"><span>RVU25D</span> (ZIP)</a>
            <a href="#top">Top</a><a href="javascript:void(0)">x</a><a href="mailto:a@b.c">mail</a>
            <a href="https://other.example/files/zip/rvu24b-updated-03/18/2024.zip">RVU24B</a>
            <form method="POST" action="accept"><input type="hidden" name="file" value="/files/zip/x.zip">
            <input type="checkbox" name="remember"><input type="submit" name="op" value="I Accept"></form>
            &unknown; <!-- a comment --> <script>var x = "<a href='/no'>";</script>
            """
        let page = try HTMLDocument(bytes: Array(html.utf8), url: URL(string: "https://www.cms.gov/pfs/")!)
        #expect(page.title == "PFS Relative Value Files")
        #expect(
            page.links.map(\.url.absoluteString) == [
                "https://www.cms.gov/pfs/rvu26a", "https://www.cms.gov/files/zip/rvu25d.zip",
                "https://other.example/files/zip/rvu24b-updated-03/18/2024.zip",
            ])
        #expect(page.links.map(\.text) == ["RVU26A", "RVU25D (ZIP)", "RVU24B"])
        let form = try #require(page.forms.first)
        #expect(form.action.absoluteString == "https://www.cms.gov/pfs/accept" && form.method == "POST")
        #expect(form.fields.map(\.name) == ["file"])
        #expect(form.buttons.map(\.label) == ["I Accept"])
        let links = page.links.compactMap(ReleaseLink.init)
        #expect(links.map(\.release.description) == ["RVU26A", "RVU25D", "RVU24B-updated-2024-03-18"])
        #expect(links.map(\.isArchive) == [false, true, true])
    }

    @Test(arguments: [
        ("/files/zip/rvu26a-updated-12-29-2025.zip", "RVU26A-updated-2025-12-29"),
        ("/files/zip/rvu24b-updated-03/18/2024.zip", "RVU24B-updated-2024-03-18"),
        ("/files/zip/rvu24ar-posted-04/01/2024.zip", "RVU24AR-updated-2024-04-01"),
        ("/files/zip/RVU25D.zip", "RVU25D"),
        ("/files/zip/pfs-rvu-readme.zip", "none"),
    ])
    func archiveNamesGiveTheRevision(_ path: String, _ expected: String) {
        #expect(ReleaseLink.releaseID(inArchivePath: path)?.description ?? "none" == expected)
    }

    @Test func licenceControlsAreTold() {
        #expect(LicensePage.isAccept("Accept"))
        #expect(LicensePage.isAccept("I Accept the Agreement"))
        #expect(!LicensePage.isAccept("Do Not Accept"))
        #expect(!LicensePage.isAccept("Don't accept"))
        #expect(!LicensePage.isAccept("Decline"))
    }

    @Test func setCookieHeadersAreRead() {
        let pairs = CookieJar.parse("a=1; Path=/; HttpOnly, b=two=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT, c=")
        #expect(pairs.map(\.name) == ["a", "b", "c"])
        #expect(pairs.map(\.value) == ["1", "two=2", ""])
    }

    @Test func responsesAreSummarised() {
        let page = Array("\n  <!DOCTYPE html>\n<html><body>Access Denied</body></html>".utf8)
        #expect(
            ResponseSummary.describe(page, contentType: "text/html; charset=UTF-8")
                == "an HTML page (text/html, 58 bytes) starting ' <!DOCTYPE html> <html><body>Access Deni…'")
        #expect(ResponseSummary.describe([], contentType: nil) == "an empty body (0 bytes)")
        #expect(
            ResponseSummary.describe([0x50, 0x4B, 0x03, 0x04, 0, 1], contentType: "application/zip")
                == "a damaged or truncated zip (application/zip, 6 bytes) starting 'PK....'")
        #expect(ResponseSummary.grouped(5120) == "5,120" && ResponseSummary.grouped(1_234_567) == "1,234,567")
    }

    @Test func manifestFilesAreChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.json").path
        let sha = String(repeating: "ab", count: 32)
        try Data(
            """
            {"entries": [{"release": "RVU24B", "url": "https://example.org/rvu24b.zip", "sha256": "\(sha)", "size": 10},
                         {"release": "rvu26a-updated-12-29-2025", "url": "https://example.org/rvu26a.zip", "sha256": "\(sha)", "size": 5}]}
            """.utf8
        ).write(to: URL(fileURLWithPath: good))
        let merged = ReleaseManifest.pinned.merged(with: try ReleaseManifest.load(from: good))
        #expect(merged.entries.map(\.release.description) == ["RVU24B", "RVU26A-updated-2025-12-29"])
        #expect(merged.entry(for: try ReleaseID(parsing: "RVU24B"))?.url == "https://example.org/rvu24b.zip")
        #expect(merged.entry(for: try ReleaseID(parsing: "RVU26A"))?.size == 5)
        #expect(merged.entry(for: try ReleaseID(parsing: "RVU26AR")) == nil)
        let bad = folder.appendingPathComponent("bad.json").path
        try Data(#"{"entries": [{"release": "RVU24B", "url": "ftp://x/y.zip", "sha256": "\#(sha)", "size": 10}]}"#.utf8)
            .write(to: URL(fileURLWithPath: bad))
        do throws(DiagnosticError) {
            _ = try ReleaseManifest.load(from: bad)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(bad): error: entry 1 (RVU24B): 'url' must be an http or https address")
        }
    }
}
