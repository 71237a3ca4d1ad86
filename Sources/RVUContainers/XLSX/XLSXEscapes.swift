/// The `_xHHHH_` escapes of Office Open XML strings (ECMA-376 `ST_Xstring`): a character that
/// XML cannot carry, such as the DOS end-of-file byte 0x1A, is written as `_x001A_`, and an
/// underscore that would start such a sequence as `_x005F_`.
enum XLSXEscapes {
    /// Decodes the escapes in `bytes[start...]` in place (the decoded text is never longer).
    /// UTF-16 surrogate pairs written as two escapes become one character; a lone surrogate
    /// becomes U+FFFD.
    static func decode(_ bytes: inout [UInt8], from start: Int) {
        guard start < bytes.count else { return }
        var newCount = bytes.count
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            newCount = decode(base, from: start, count: buffer.count)
        }
        if newCount < bytes.count { bytes.removeSubrange(newCount...) }
    }

    /// Decodes the escapes in the `count` bytes at `base` from `start` on, in place; returns the
    /// new byte count.
    static func decode(_ base: UnsafeMutablePointer<UInt8>, from start: Int, count end: Int) -> Int {
        var read = start
        while read < end, base[read] != 0x5F { read += 1 }
        guard read < end else { return end }
        var write = read
        while read < end {
            if base[read] == 0x5F, let value = escape(base, at: read, end: end) {
                read += 7
                var scalar = value
                if (0xD800...0xDBFF).contains(value), let low = escape(base, at: read, end: end),
                    (0xDC00...0xDFFF).contains(low)
                {
                    scalar = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    read += 7
                } else if (0xD800...0xDFFF).contains(value) {
                    scalar = 0xFFFD
                }
                write += encodeUTF8(scalar, into: base + write)
            } else {
                base[write] = base[read]
                write += 1
                read += 1
            }
        }
        return write
    }

    /// The code unit of an escape `_xHHHH_` at `index`, or nil.
    @inline(__always)
    private static func escape(_ base: UnsafeMutablePointer<UInt8>, at index: Int, end: Int) -> UInt32? {
        guard index + 7 <= end, base[index] == 0x5F, base[index + 1] == 0x78, base[index + 6] == 0x5F else {
            return nil
        }
        var value: UInt32 = 0
        for offset in 2..<6 {
            let byte = base[index + offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Writes `scalar` as UTF-8 (1 to 4 bytes) and returns the byte count.
    @inline(__always)
    private static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18)
            out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
