import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The cookies one ``HTTPClient`` was given, kept per host for its own later requests (a
/// licence click-through may be remembered by a cookie). Nothing is written to disk; `Domain`,
/// `Path` and `Expires` attributes are not interpreted: a cookie goes back to the host that
/// set it, for the life of the client.
final class CookieJar: @unchecked Sendable {
    private let lock = NSLock()
    private var cookies: [String: [(name: String, value: String)]] = [:]

    /// Keeps the cookies a response sets.
    func store(from response: HTTPURLResponse) {
        guard let host = response.url?.host?.lowercased() else { return }
        let headers = response.allHeaderFields.compactMap { key, value -> String? in
            (key as? String)?.lowercased() == "set-cookie" ? value as? String : nil
        }
        let pairs = headers.flatMap(Self.parse)
        guard !pairs.isEmpty else { return }
        lock.withLock {
            var jar = cookies[host] ?? []
            for pair in pairs {
                jar.removeAll { $0.name == pair.name }
                jar.append(pair)
            }
            cookies[host] = jar
        }
    }

    /// The `Cookie` header for a request to `url`, if any cookie belongs to its host.
    func header(for url: URL?) -> String? {
        guard let host = url?.host?.lowercased() else { return nil }
        let jar = lock.withLock { cookies[host] ?? [] }
        return jar.isEmpty ? nil : jar.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }

    /// The `name=value` pairs of a `Set-Cookie` value, which may hold several cookies joined by
    /// commas (`a=1; Path=/, b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT`).
    static func parse(_ value: String) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for piece in value.split(separator: ",", omittingEmptySubsequences: false) {
            let first = piece.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = first.trimmingCharacters(in: .whitespaces)
            // A piece starts a new cookie when it begins with `name=` (no space in the name);
            // otherwise it continues an attribute such as an Expires date.
            if let equals = trimmed.firstIndex(of: "="), !trimmed[..<equals].contains(" "), !trimmed[..<equals].isEmpty {
                pairs.append((name: String(trimmed[..<equals]), value: String(trimmed[trimmed.index(after: equals)...])))
            }
        }
        return pairs
    }
}
