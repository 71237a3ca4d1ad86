import RVUContainers
import RVUCore

/// How a text member's bytes are decoded. CMS files are ASCII; Windows-1252 is the safe reading of
/// the rare byte above 0x7F, unless the whole member is valid UTF-8 (or starts with a UTF-8 BOM).
package enum TextEncoding: Sendable, Equatable {
    case utf8
    case windows1252

    /// Chooses the encoding for `bytes`; returns the offset of the first byte after a BOM.
    package static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> (TextEncoding, bodyStart: Int) {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8, 3) }
        guard let base = bytes.baseAddress else { return (.windows1252, 0) }
        var index = 0
        var sawNonASCII = false
        while index < bytes.count {
            // Eight ASCII bytes at a time (members are almost all ASCII).
            while bytes.count - index >= 8,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            sawNonASCII = true
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (.windows1252, 0)
            }
            guard index + length <= bytes.count else { return (.windows1252, 0) }
            for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 {
                return (.windows1252, 0)
            }
            index += length
        }
        return (sawNonASCII ? .utf8 : .windows1252, 0)
    }

    /// Appends one byte of text in this encoding to a row's cell, UTF-8 encoded; throws
    /// `invalid-encoding` at `location` for a byte that is not text.
    @inline(__always)
    package func append(_ byte: UInt8, to row: inout Row, at location: @autoclosure () -> SourceLocation) throws(DiagnosticError) {
        if byte < 0x80 || self == .utf8 {
            row.appendByte(byte)
        } else if let scalar = TextEncoding.windows1252(byte) {
            row.appendScalar(scalar)
        } else {
            throw DiagnosticError(
                .invalidEncoding, "byte 0x\(String(byte, radix: 16, uppercase: true)) is not text in Windows-1252 or UTF-8",
                at: location())
        }
    }

    /// The Unicode scalars of Windows-1252 bytes 0x80...0x9F; 0 marks the five undefined bytes.
    private static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
        0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0, 0x017E, 0x0178,
    ]

    /// The character of a Windows-1252 byte above 0x7F; nil for an undefined byte.
    package static func windows1252(_ byte: UInt8) -> Unicode.Scalar? {
        let scalar: UInt32 = byte < 0xA0 ? high[Int(byte - 0x80)] : UInt32(byte)
        return scalar == 0 ? nil : Unicode.Scalar(scalar)
    }
}
