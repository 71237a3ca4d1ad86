/// Escaping of text for HTML and for the script data file of the preview site.
enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped: safe in element content and in quoted attributes.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {  // the five are ASCII: the bytes of other characters pass unchanged
            switch byte {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            case 0x22: out += "&quot;".utf8
            case 0x27: out += "&#39;".utf8
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` as a JSON string literal of ASCII only: quotes, backslashes, control characters,
    /// `<`, `>`, `&` and everything beyond ASCII (U+2028 and U+2029 included) as `\uXXXX`, so
    /// that the literal cannot end a script element or a line of JavaScript.
    static func jsString(_ text: String) -> String {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(text.utf8.count + 2)
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x20...0x7E where unit != 0x3C && unit != 0x3E && unit != 0x26: out.append(UInt8(unit))
            default:
                out += [0x5C, 0x75]
                for shift in [12, 8, 4, 0] { out.append(hexDigits[Int(unit >> UInt16(shift)) & 0xF]) }
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
