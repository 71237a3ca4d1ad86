import Foundation

/// Says in a few words what a response holds, for errors about a download that is not a zip:
/// `an HTML page (text/html, 5,120 bytes) starting '<!DOCTYPE html><html lang="en">…'`.
package enum ResponseSummary {
    /// A description of `body`, served as `contentType`.
    package static func describe(_ body: [UInt8], contentType: String?) -> String {
        let type = contentType.map { $0.split(separator: ";").first.map(String.init) ?? $0 }?.trimmingCharacters(in: .whitespaces)
        let size = "\(grouped(body.count)) byte\(body.count == 1 ? "" : "s")"
        let details = [type, size].compactMap { $0 }.joined(separator: ", ")
        if body.isEmpty { return "an empty body (\(details))" }
        let kind: String
        if isHTML(body) {
            kind = "an HTML page"
        } else if body.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            kind = "a damaged or truncated zip"
        } else {
            kind = "a body"
        }
        return "\(kind) (\(details)) starting '\(preview(body))'"
    }

    /// True when the body looks like HTML (after leading spaces and a byte-order mark).
    package static func isHTML(_ body: [UInt8]) -> Bool {
        let head = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .lowercased()
        let start = head.hasPrefix("\u{FEFF}") ? String(head.dropFirst()) : head
        return start.hasPrefix("<!doctype html") || start.hasPrefix("<html") || start.hasPrefix("<head")
            || start.hasPrefix("<body") || (start.hasPrefix("<") && start.contains("<html"))
    }

    /// The first 40 characters, with runs of spaces and line breaks shown as one space and control
    /// bytes as dots.
    static func preview(_ body: [UInt8]) -> String {
        let scalars = String(decoding: body.prefix(160), as: UTF8.self).unicodeScalars
        var text = ""
        var count = 0
        for scalar in scalars {
            guard count < 40 else {
                text += "…"
                break
            }
            switch scalar.value {
            case 0x09, 0x0A, 0x0D, 0x20: if !text.hasSuffix(" ") { text += " " } else { continue }
            case 0..<0x20, 0x7F, 0xFFFD: text += "."
            default: text.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return text
    }

    /// `5,120`.
    package static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }
}
