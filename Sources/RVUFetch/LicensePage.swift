import Foundation
import RVUCore

/// CMS's click-through licence page (the AMA's CPT licence) shown instead of an archive: what
/// it says and how to accept it.
///
/// Accepting is a legal act done on the user's behalf: ``ReleaseFetcher`` takes the accept step
/// only when the user opted in (`--accept-ama-license` or `accept_ama_license: true`).
package struct LicensePage: Sendable {
    /// How to accept: follow a link, or submit a form.
    package enum Acceptance: Sendable {
        case link(URL)
        case form(HTTPClient.Request)
    }

    /// The page's address.
    package let url: URL
    /// The page's title.
    package let title: String
    /// How to accept, when the page offers a way.
    package let acceptance: Acceptance?

    /// The licence page in `document`, or nil when the page is not a licence page.
    package init?(_ document: HTMLDocument, url: URL, body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self).lowercased()
        let mentionsLicense = ["license", "licence", "agreement"].contains { text.contains($0) }
        var acceptance: Acceptance?
        for form in document.forms {
            guard let button = form.buttons.first(where: { Self.isAccept($0.label) }) else { continue }
            var fields = form.fields.compactMap { field in field.name.map { (name: $0, value: field.value) } }
            if let name = button.name { fields.append((name: name, value: button.value)) }
            if form.method == "POST" {
                acceptance = .form(HTTPClient.Request(url: form.action, method: "POST", formBody: fields))
            } else {
                var components = URLComponents(url: form.action, resolvingAgainstBaseURL: true)
                if !fields.isEmpty { components?.queryItems = fields.map { URLQueryItem(name: $0.name, value: $0.value) } }
                acceptance = .form(HTTPClient.Request(url: components?.url ?? form.action))
            }
            break
        }
        if acceptance == nil, let link = document.links.first(where: { Self.isAccept($0.text) }) {
            acceptance = .link(link.url)
        }
        guard mentionsLicense, acceptance != nil || text.contains("accept") else { return nil }
        self.url = url
        self.title = document.title
        self.acceptance = acceptance
    }

    /// The request that accepts the licence.
    package var acceptRequest: HTTPClient.Request? {
        switch acceptance {
        case .link(let url): HTTPClient.Request(url: url)
        case .form(let request): request
        case nil: nil
        }
    }

    /// True for `Accept`, `I Accept`, `Accept and download`; false for `Do not accept`, `Decline`.
    static func isAccept(_ label: String) -> Bool {
        let words = label.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        guard words.contains(where: { $0 == "accept" || $0 == "agree" }) else { return false }
        return !words.contains(where: { ["not", "don", "decline", "disagree", "reject"].contains($0) })
    }

    /// The error when the user has not opted in.
    package func notAcceptedError() -> DiagnosticError {
        DiagnosticError(
            .licenseNotAccepted,
            "CMS asks to accept a licence before this download (\(title.isEmpty ? "the AMA CPT licence" : "'\(title)'")); accepting it is a legal act, so rvuimport does it only when you opt in: read the licence at this address, then pass --accept-ama-license or set 'accept_ama_license: true' in rvuimport.yaml",
            at: SourceLocation(file: url.absoluteString))
    }
}
