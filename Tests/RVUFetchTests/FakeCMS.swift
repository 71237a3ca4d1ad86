import Foundation
import RVUContainers
import RVUCore
import RVUTestSupport
import ZIPFoundation

/// A site shaped like CMS's: the PFS relative-value-files index page, release pages, the AMA
/// licence page (a link to accept, or a form posted to accept), zips behind redirects, and the
/// failures a download meets.
///
/// | path | what |
/// |---|---|
/// | `/pfs` | 301 to `/pfs/` |
/// | `/pfs/` | the index: links to `rvu26b`, `rvu26a`, `rvu25d`, `rvu25c`, `rvu24b` pages and to `rvu25b.zip` directly |
/// | `/pfs/rvu26b` | 404: a release announced before its page is up |
/// | `/pfs/rvu26a` | links `rvu26a.zip` and `rvu26a-updated-12-29-2025.zip`, both behind the licence page |
/// | `/license/ama?file=F` | licence page; "Accept" links to `/license/accept?op=accept&file=F` |
/// | `/license/accept` | GET or POST with `op=accept`: sets the licence cookie, 302 to the file |
/// | `/files/zip/rvu26a-updated-12-29-2025.zip` | 302 to `/downloads/RVU26A.zip`, the Samples archive |
/// | `/pfs/rvu24b` | links CMS's own `rvu24b-updated-03/18/2024.zip` behind the licence form (POST) |
///
/// Archives behind the licence page are served only with the licence cookie (else the licence
/// page again), as a site that remembers the click-through in a cookie would.
/// | `/pfs/rvu25d` | links a zip address that answers with an HTML error page |
/// | `/pfs/rvu25c` | links a zip whose connection drops mid-body |
/// | `/files/zip/rvu25b.zip` | 503 once, then an RVU25B made from the Samples' RVU25D archive (retried) |
/// | `/pfs/rvu23a` | a release page without any zip |
/// | `/mirror/RVU26A.zip` | the Samples' RVU26A, no licence (for manifest entries) |
final class FakeCMS: @unchecked Sendable {
    let server: LoopbackServer
    private let lock = NSLock()
    private var unavailableOnce = true

    /// The Samples' RVU26A and RVU25D archives, and the real RVU24B when `$RVU_SHARED_CMS` has it.
    let rvu26a: [UInt8]
    let rvu25d: [UInt8]
    /// RVU25D's data labelled as RVU25B, so that it imports as RVU25B (see ``relabelled(_:)``).
    let rvu25b: [UInt8]
    let rvu24b: [UInt8]?

    static let errorPage = """
        <!DOCTYPE html><html lang="en"><head><title>Page not found | CMS</title></head>
        <body><h1>We can't find that page</h1><p>The page may have moved.</p></body></html>
        """

    init() throws {
        rvu26a = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Golden.samples("releases/RVU26A.zip"))))
        rvu25d = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Golden.samples("releases/RVU25D.zip"))))
        rvu25b = try FakeCMS.relabelled(rvu25d)
        rvu24b = FakeCMS.sharedRelease("RVU24B.zip")
        let holder = Holder()
        server = try LoopbackServer { request in holder.site?.answer(request) ?? .notFound }
        holder.site = self
    }

    /// An October archive relabelled as its year's April release, as the importer reads a
    /// release from its files (member names, the PPRRVU title): `_Oct` names become `_Apr`, the
    /// title says `April Release`, and the XLSX members (whose title is inside the workbook) are
    /// left out.
    static func relabelled(_ archive: [UInt8]) throws -> [UInt8] {
        let source = try ZipArchive(bytes: archive, name: "RVU25D.zip")
        let output = try Archive(accessMode: .create)
        for entry in source.entries where !entry.isDirectory && !entry.name.lowercased().hasSuffix(".xlsx") {
            var bytes = try source.contents(of: entry)
            if entry.name.uppercased().hasPrefix("PPRRVU"), entry.name.lowercased().hasSuffix(".csv") {
                bytes = Array(
                    String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "October Release", with: "April Release").utf8)
            }
            let name = entry.name.replacingOccurrences(of: "_Oct", with: "_Apr")
            try output.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) {
                position, size in Data(bytes[Int(position)..<Int(position) + size])
            }
        }
        guard let data = output.data else { throw DiagnosticError(.internalError, "the relabelled archive was not written", at: nil) }
        return [UInt8](data)
    }

    /// The real release in `$RVU_SHARED_CMS`, if present.
    static func sharedRelease(_ name: String) -> [UInt8]? {
        guard let folder = ProcessInfo.processInfo.environment["RVU_SHARED_CMS"] else { return nil }
        return FileManager.default.contents(atPath: folder + "/" + name).map { [UInt8]($0) }
    }

    var indexURL: String { server.baseURL + "/pfs" }

    /// The cookie that remembers the accepted licence.
    static let licenseCookie = "ama_license=accepted"

    func stop() { server.stop() }

    func answer(_ request: LoopbackServer.Request) -> LoopbackServer.Reply {
        switch request.path {
        case "/pfs": return .redirect(status: 301, location: "/pfs/")
        case "/pfs/": return .html(Self.index)
        case "/pfs/rvu26a":
            return .html(Self.releasePage("RVU26A", links: ["rvu26a.zip", "rvu26a-updated-12-29-2025.zip"], licensed: true))
        case "/pfs/rvu24b", "/pfs/rvu24b/":
            return .html(Self.releasePage("RVU24B", links: ["rvu24b-updated-03/18/2024.zip"], licensed: true, form: true))
        case "/pfs/rvu25d": return .html(Self.releasePage("RVU25D", links: ["rvu25d.zip"], licensed: false))
        case "/pfs/rvu25c": return .html(Self.releasePage("RVU25C", links: ["rvu25c.zip"], licensed: false))
        case "/pfs/rvu23a": return .html(Self.releasePage("RVU23A", links: [], licensed: false))
        case "/license/ama":
            let file = request.parameter("file") ?? ""
            return .html(Self.licensePage(file: file, form: file.contains("rvu24b")))
        case "/license/accept":
            guard request.parameter("op") == "accept", let file = request.parameter("file") else {
                return .html("<html><body>Declined</body></html>", status: 403)
            }
            return .redirect(status: 302, location: file, setCookie: "\(Self.licenseCookie); Path=/; HttpOnly")
        case "/files/zip/rvu26a-updated-12-29-2025.zip", "/downloads/RVU26A.zip", "/files/zip/rvu26a.zip",
            "/files/zip/rvu24b-updated-03/18/2024.zip":
            guard request.cookie?.contains(Self.licenseCookie) == true else {
                return .html(Self.licensePage(file: request.path, form: request.path.contains("rvu24b")))
            }
            if request.path == "/files/zip/rvu26a-updated-12-29-2025.zip" {
                return .redirect(status: 302, location: "/downloads/RVU26A.zip")
            }
            guard let bytes = request.path.contains("rvu24b") ? rvu24b : rvu26a else { return .notFound }
            return .body(status: 200, contentType: "application/zip", bytes: bytes)
        case "/mirror/RVU26A.zip": return .body(status: 200, contentType: "application/zip", bytes: rvu26a)
        case "/files/zip/rvu25d.zip": return .html(Self.errorPage)
        case "/files/zip/rvu25c.zip":
            return .truncated(contentType: "application/zip", bytes: Array(rvu25d.prefix(10_000)), declared: rvu25d.count)
        case "/files/zip/rvu25b.zip":
            let unavailable = lock.withLock { () -> Bool in
                defer { unavailableOnce = false }
                return unavailableOnce
            }
            if unavailable { return .html("<html><body>busy</body></html>", status: 503) }
            return .body(status: 200, contentType: "application/zip", bytes: rvu25b)
        case "/not-cms": return .html("<!DOCTYPE html><html><head><title>Example</title></head><body><a href=\"/a\">A</a></body></html>")
        case "/json": return .body(status: 200, contentType: "application/json", bytes: Array("{\"releases\": []}".utf8))
        default: return .notFound
        }
    }

    /// The index page: a header, navigation, and a table of releases as CMS lays it out.
    static let index = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>PFS Relative Value Files | CMS</title></head>
        <body>
        <a href="#main-content">Skip to main content</a>
        <nav><a href="/medicare">Medicare</a> <a href="mailto:help@example.org">Contact</a></nav>
        <main id="main-content"><h1>PFS Relative Value Files</h1>
        <p>This section contains zip files with the Physician Fee Schedule relative value units.</p>
        <table class="views-table"><thead><tr><th>Name</th><th>Description</th></tr></thead><tbody>
        <tr><td><a href="/pfs/rvu26b">RVU26B</a></td><td>April 2026 release</td></tr>
        <tr><td><a href="/pfs/rvu26a">RVU26A</a></td><td>January 2026 release</td></tr>
        <tr><td><a href="/pfs/rvu25d">RVU25D</a></td><td>October 2025 release</td></tr>
        <tr><td><a href="/pfs/rvu25c">RVU25C</a></td><td>July 2025 release</td></tr>
        <tr><td><a href="/files/zip/rvu25b.zip">RVU25B (ZIP)</a></td><td>April 2025 release</td></tr>
        <tr><td><a href="/pfs/rvu24b/">RVU24B</a></td><td>April 2024 release</td></tr>
        <tr><td><a href="/pfs/rvu23a">RVU23A</a></td><td>January 2023 release</td></tr>
        </tbody></table>
        <p><a href="/files/document/pfs-readme.pdf">Readme</a></p>
        </main></body></html>
        """

    /// A release page: a "Downloads" list of zips, straight or through the licence page.
    static func releasePage(_ id: String, links: [String], licensed: Bool, form: Bool = false) -> String {
        let items = links.map { name in
            let target = licensed ? "/license/ama?file=/files/zip/\(name)" : "/files/zip/\(name)"
            return "<li><a href=\"\(target)\">\(name.uppercased()) (ZIP)</a></li>"
        }
        return """
            <!DOCTYPE html><html><head><title>\(id) | CMS</title></head><body>
            <h1>\(id)</h1><p>Relative value file.</p><h2>Downloads</h2><ul>\(items.joined())</ul>
            <p><a href="/pfs/">Back to PFS Relative Value Files</a></p></body></html>
            """
    }

    /// CMS's licence page: the AMA CPT licence, then Accept and Decline (links, or a form).
    static func licensePage(file: String, form: Bool) -> String {
        let controls =
            form
            ? """
            <form method="post" action="/license/accept"><input type="hidden" name="file" value="\(file)">
            <button type="submit" name="op" value="decline">Do Not Accept</button>
            <button type="submit" name="op" value="accept">Accept</button></form>
            """
            : "<a href=\"/pfs/\">Decline</a> <a class=\"button\" href=\"/license/accept?op=accept&amp;file=\(file)\">Accept</a>"
        return """
            <!DOCTYPE html><html><head><title>License Agreement | CMS</title></head><body>
            <h1>License for Use of Current Procedural Terminology, Fourth Edition (CPT)</h1>
            <p>End User/Point and Click Agreement: CPT codes, descriptions and other data only are copyright
            American Medical Association. All Rights Reserved.</p>\(controls)</body></html>
            """
    }
}

/// Lets the server's handler reach the site created after it.
private final class Holder: @unchecked Sendable {
    weak var site: FakeCMS?
}
