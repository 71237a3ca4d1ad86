import Foundation
import RVUCatalog
import RVUCore
import RVUDiff
import RVUMerge

/// The static preview site of a catalog: `index.html` (codes by category with counts),
/// `codes/CODE.html` (``CodePageHTML``), `search.html` with `search.js` over the data file
/// `search-index.js` (a script, since browsers refuse `fetch` from `file://`), and `style.css`.
/// The same catalog gives the same bytes.
public struct PreviewSite: Sendable {
    /// One file of the site: its path inside the site and its bytes.
    public struct File: Sendable {
        public let path: String
        public let text: String
    }

    public let files: [File]

    /// The marker file of a site written by rvuimport: an existing folder holding it may be replaced.
    public static let marker = "rvuimport-pages.txt"

    /// The site of `catalog`, with what changed since `old` on each page when given.
    public static func build(catalog: CatalogReader, compare old: CatalogReader? = nil) throws(DiagnosticError) -> PreviewSite {
        let pages = try catalog.pages()
        var changes: [String: CodePageHTML.Changes] = [:]
        if let old {
            let diff = try CatalogDiff.compare(old, catalog)
            let (added, lines) = diff.pageChanges()
            for code in added { changes[code] = .init(since: diff.fromReleaseID, isNew: true, lines: []) }
            for (code, lines) in lines where changes[code] == nil {
                changes[code] = .init(since: diff.fromReleaseID, isNew: false, lines: lines)
            }
        }
        for page in pages where !isSafeCode(page.code) {
            throw DiagnosticError(
                .unsafeCode,
                "code '\(page.code)' cannot be a file name (letters and digits only); the catalog was edited: rebuild it",
                at: SourceLocation(file: catalog.path))
        }
        let meta = try catalog.meta()
        let releaseID = meta["release_id"] ?? ""
        var files: [File] = []
        files.reserveCapacity(pages.count + 6)
        for page in pages {
            files.append(File(path: "codes/\(page.code).html", text: CodePageHTML.render(page, changes: changes[page.code])))
        }
        let notices = (DescriptorPolicy(rawValue: meta["descriptors"] ?? "") ?? .withheld).notices(codeSet: nil)
        files.append(File(path: "index.html", text: index(pages, releaseID: releaseID, meta: meta, changes: changes, notices: notices)))
        files.append(File(path: "search.html", text: searchPage(releaseID: releaseID, notices: notices)))
        files.append(File(path: "search-index.js", text: searchData(pages)))
        files.append(File(path: "search.js", text: searchScript))
        files.append(File(path: "style.css", text: stylesheet))
        files.append(
            File(
                path: marker,
                text:
                    "Preview site of catalog \(meta["catalog_version"] ?? releaseID), written by rvuimport pages; rvuimport replaces this folder.\n"
            ))
        return PreviewSite(files: files)
    }

    /// True when `code` is letters and digits only (1 to 16): a safe file name, never `../`.
    public static func isSafeCode(_ code: String) -> Bool {
        (1...16).contains(code.utf8.count)
            && code.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    static func index(
        _ pages: [CodePage], releaseID: String, meta: [String: String], changes: [String: CodePageHTML.Changes], notices: [String]
    )
        -> String
    {
        let e = HTMLText.escape
        var categories: [(id: String, name: String, pages: [CodePage])] = []
        var position: [String: Int] = [:]
        for page in pages {
            if let index = position[page.category] {
                categories[index].pages.append(page)
            } else {
                position[page.category] = categories.count
                categories.append((page.category, page.categoryName, [page]))
            }
        }
        categories.sort { ($0.name, $0.id) < ($1.name, $1.id) }
        func item(_ page: CodePage) -> String {
            "<li><a href=\"codes/\(page.code).html\">\(e(page.code))</a> \(e(CodePageRenderer.title(page)))</li>\n"
        }
        var out = CodePageHTML.head(title: "Code pages, \(releaseID)", root: "")
        out += CodePageHTML.header(releaseID: releaseID, root: "")
        out += "<main id=\"main\">\n<h1>Code pages, \(e(releaseID))</h1>\n"
        out += "<p>\(pages.count) codes in \(categories.count) categories. Catalog \(e(meta["catalog_version"] ?? releaseID))"
        out += (meta["released_on"].map { ", released on \(e($0))" } ?? "") + ".</p>\n"
        if let since = changes.values.first?.since {
            let changed = pages.filter { changes[$0.code] != nil }
            out += CodePageHTML.section("changed", "Changed since \(since) (\(changed.count))") {
                changed.isEmpty ? "<p>No code changed.</p>\n" : "<ul class=\"codes\">\n" + changed.map(item).joined() + "</ul>\n"
            }
        }
        out += CodePageHTML.section("categories", "Categories") {
            "<ul>\n"
                + categories.enumerated().map {
                    "<li><a href=\"#category-\($0.offset + 1)\">\(e($0.element.name))</a> (\($0.element.pages.count))</li>\n"
                }.joined() + "</ul>\n"
        }
        for (offset, category) in categories.enumerated() {
            out += CodePageHTML.section("category-\(offset + 1)", "\(category.name) (\(category.pages.count))") {
                "<ul class=\"codes\">\n" + category.pages.map(item).joined() + "</ul>\n"
            }
        }
        out += "</main>\n"
        return out + CodePageHTML.footer(notices: notices, releaseID: releaseID)
    }

    static func searchPage(releaseID: String, notices: [String]) -> String {
        var out = CodePageHTML.head(title: "Search codes, \(releaseID)", root: "")
        out += CodePageHTML.header(releaseID: releaseID, root: "")
        out += """
            <main id="main">
            <h1>Search codes</h1>
            <form id="search-form" action="search.html" method="get" role="search">
            <label for="q">Code, prefix (9921*) or words</label>
            <input id="q" name="q" type="search" autocomplete="off">
            <button type="submit">Search</button>
            </form>
            <p id="search-status" aria-live="polite">Type a code, a prefix such as 9921*, or words.</p>
            <ol id="results" class="codes"></ol>
            <noscript><p>Search needs JavaScript; the <a href="index.html">index</a> lists every code.</p></noscript>
            </main>
            <script src="search-index.js"></script>
            <script src="search.js"></script>

            """
        return out + CodePageHTML.footer(notices: notices, releaseID: releaseID)
    }

    /// `window.RVU_SEARCH = [[code, title, category, words], ...];`, every text a JSON string of
    /// ASCII only (see ``HTMLText/jsString(_:)``); `words` is the lowercased text searched, its
    /// words between single spaces.
    static func searchData(_ pages: [CodePage]) -> String {
        var out = "window.RVU_SEARCH = [\n"
        for page in pages {
            let text = ([page.title ?? ""] + page.synonyms + [page.description ?? "", page.plainLanguage ?? ""]).joined(separator: " ")
            let words = searchWords(text)
            out +=
                "["
                + [page.code, CodePageRenderer.title(page), page.categoryName, " \(words) "].map(HTMLText.jsString).joined(separator: ",")
            out += "],\n"
        }
        return out + "];\n"
    }

    /// Finds codes by number, prefix (`9921*`) and words; results are built with DOM calls and
    /// `textContent`, never as HTML.
    static let searchScript = """
        (function () {
          "use strict";
          var data = window.RVU_SEARCH || [];
          var input = document.getElementById("q");
          var status = document.getElementById("search-status");
          var list = document.getElementById("results");
          var LIMIT = 200;
          function matches(entry, term) {
            var code = entry[0].toLowerCase();
            if (term.charAt(term.length - 1) === "*") term = term.slice(0, -1);
            if (term.length === 0) return true;
            return code.indexOf(term) === 0 || entry[3].indexOf(" " + term) !== -1;
          }
          function search(query) {
            var terms = query.toLowerCase().split(/[^a-z0-9*]+/).filter(function (t) { return t.length > 0; });
            while (list.firstChild) list.removeChild(list.firstChild);
            if (terms.length === 0) { status.textContent = "Type a code, a prefix such as 9921*, or words."; return; }
            var exact = [], rest = [];
            for (var i = 0; i < data.length; i++) {
              var entry = data[i];
              if (!terms.every(function (t) { return matches(entry, t); })) continue;
              (entry[0].toLowerCase() === terms[0] ? exact : rest).push(entry);
            }
            var found = exact.concat(rest);
            status.textContent = found.length === 0 ? "No code matches \\u201c" + query + "\\u201d." :
              found.length + (found.length === 1 ? " code matches" : " codes match") + " \\u201c" + query + "\\u201d" +
              (found.length > LIMIT ? "; the first " + LIMIT + " are shown." : ".");
            found.slice(0, LIMIT).forEach(function (entry) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = "codes/" + encodeURIComponent(entry[0]) + ".html";
              link.textContent = entry[0];
              item.appendChild(link);
              item.appendChild(document.createTextNode(" " + entry[1] + " (" + entry[2] + ")"));
              list.appendChild(item);
            });
          }
          var query = new URLSearchParams(window.location.search).get("q") || "";
          input.value = query;
          search(query);
          input.addEventListener("input", function () { search(input.value); });
        })();

        """

    static let stylesheet = """
        :root { color: #1b1b1b; background: #ffffff; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5; }
        body { margin: 0 auto; max-width: 52rem; padding: 0 1rem; }
        a { color: #0b4f9c; }
        a:focus-visible, input:focus-visible, button:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
        header { border-bottom: 1px solid #8a8a8a; display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; }
        header ul, ul.inline { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
        .site { font-weight: bold; margin: 0.75rem 0; }
        h1 { font-size: 1.7rem; line-height: 1.25; }
        h1 .code { font-family: ui-monospace, monospace; }
        h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #d0d0d0; }
        h3 { font-size: 1.05rem; margin-bottom: 0.25rem; }
        .category { color: #3d3d3d; font-weight: 600; margin-top: -0.5rem; }
        .note { background: #fff4d6; padding: 0.5rem 0.75rem; }
        dl { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0 1rem; }
        dt { font-weight: 600; grid-column: 1; }
        dd { margin: 0; grid-column: 2; }
        dd.why { font-style: italic; }
        #changes { background: #eef5ff; }
        ul.codes { padding-left: 1.25rem; }
        input[type=search] { font-size: 1rem; padding: 0.4rem; width: min(100%, 24rem); }
        button { font-size: 1rem; padding: 0.4rem 0.9rem; }
        footer { border-top: 1px solid #8a8a8a; margin-top: 3rem; color: #3d3d3d; font-size: 0.9rem; }
        @media (max-width: 36rem) { dl { grid-template-columns: 1fr; } dt, dd { grid-column: 1; } h1 { font-size: 1.4rem; } }

        """
}
