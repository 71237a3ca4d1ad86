/// Record keys packed into integers, so that finding repeated keys on every row hashes one
/// integer instead of building and hashing a string.
///
/// A key's text is what a duplicate is reported with (`99213-26`); a text of at most eight bytes
/// without a NUL byte is packed, first byte highest, and two such texts are equal exactly when
/// their integers are. A longer text is not packed: the caller looks it up as text, in a separate
/// finder, which is just as exact since no packed text can equal it.
enum CodeKey {
    /// The text `code` or `code-modifier` (no hyphen for a blank modifier) packed, or nil.
    @inline(__always)
    static func pack(_ code: String, modifier: String) -> UInt64? {
        // Through `withUTF8` (a small string's own bytes): iterating `utf8` costs far more.
        var code = code
        var modifier = modifier
        return code.withUTF8 { code in modifier.withUTF8 { modifier in pack(code, modifier: modifier) } }
    }

    /// ``pack(_:modifier:)`` for the UTF-8 bytes of the code and modifier.
    @inline(__always)
    static func pack(_ code: UnsafeBufferPointer<UInt8>, modifier: UnsafeBufferPointer<UInt8>) -> UInt64? {
        let count = code.count + (modifier.isEmpty ? 0 : 1 + modifier.count)
        guard count <= 8 else { return nil }
        var packed: UInt64 = 0
        for byte in code {
            guard byte != 0 else { return nil }
            packed = packed << 8 | UInt64(byte)
        }
        if !modifier.isEmpty {
            packed = packed << 8 | 0x2D
            for byte in modifier {
                guard byte != 0 else { return nil }
                packed = packed << 8 | UInt64(byte)
            }
        }
        // A shift by 64 (an empty text) gives 0, as the loop above did.
        return count == 0 ? 0 : packed << (8 * UInt64(8 - count))
    }

    /// The text of `code`, a modifier, a 5-digit contractor and a 2-digit locality
    /// (`70450-TC 01112/05`), packed; nil when the code and modifier do not pack or the contractor
    /// and locality are not all digits of those widths.
    static func pack(_ code: String, modifier: String, mac: String, locality: String) -> UInt128? {
        guard let prefix = pack(code, modifier: modifier), let mac = number(mac, digits: 5),
            let locality = number(locality, digits: 2)
        else { return nil }
        return UInt128(prefix) << 64 | UInt128(mac * 100 + locality)
    }

    /// The value of a text of exactly `digits` ASCII digits.
    @inline(__always)
    private static func number(_ text: String, digits: Int) -> UInt64? {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == digits else { return nil }
            var value: UInt64 = 0
            for byte in bytes {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + UInt64(byte - 0x30)
            }
            return value
        }
    }
}
