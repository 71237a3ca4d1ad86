extension PreviewSite {
    /// The lowercased words of `text` (letters and digits) between single spaces, as
    /// ``plainSearchWords(_:)`` gives them. ASCII text, the usual case, is split byte by byte:
    /// splitting by `Character` took a fifth of the site's time on RVU24B with a full curated
    /// corpus (docs/performance.md); `PreviewSiteTests` compares the two.
    static func searchWords(_ text: String) -> String {
        let lowered = text.lowercased()
        guard lowered.utf8.allSatisfy({ $0 < 0x80 }) else {
            return plainSearchWords(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(lowered.utf8.count)
        for byte in lowered.utf8 {
            if (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) {
                out.append(byte)
            } else if let last = out.last, last != 0x20 {
                out.append(0x20)
            }
        }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The plain way: split by `Character`, for any text.
    static func plainSearchWords(_ text: String) -> String {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.joined(separator: " ")
    }
}
