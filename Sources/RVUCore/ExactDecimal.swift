/// An exact decimal number as CMS publishes it: an integer count of units at a decimal scale.
///
/// `1.30` is `units: 130, scale: 2`; the scale is kept so that the value prints as published.
/// Equality and hashing compare numeric values (`1.3 == 1.30`); ``isIdentical(to:)`` compares
/// the published form too. Parsing never goes through a binary floating-point value.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value times 10^scale.
    public let units: Int64
    /// Digits after the decimal point, as published.
    public var scale: Int { Int(storedScale) }
    /// The scale in one byte: an optional value takes 16 bytes instead of 24, which matters in
    /// records with a dozen optional numbers held by the hundred thousand.
    private let storedScale: UInt8

    /// The largest scale kept; longer fractions are rejected by the parser.
    public static let maximumScale = 12

    /// Creates a value of `units` × 10^-`scale`.
    public init(units: Int64, scale: Int) {
        precondition(scale >= 0 && scale <= ExactDecimal.maximumScale, "scale out of range")
        self.units = units
        self.storedScale = UInt8(scale)
    }

    /// `units` at a scale already known to be in range.
    @inline(__always)
    private init(units: Int64, storedScale: UInt8) {
        self.units = units
        self.storedScale = storedScale
    }

    /// Zero at scale 0.
    public static let zero = ExactDecimal(units: 0, scale: 0)

    private static let powersOfTen: [Int64] = (0...18).map { exponent in
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// 10^exponent for 0...18.
    static func power(_ exponent: Int) -> Int64 { powersOfTen[exponent] }

    /// 10^exponent for 0...18.
    public static func power(of exponent: Int) -> Int64 { powersOfTen[exponent] }

    /// This value at a larger scale (no rounding needed), or nil on overflow.
    public func scaled(to newScale: Int) -> ExactDecimal? {
        if newScale == scale { return self }
        guard newScale > scale, newScale <= ExactDecimal.maximumScale else { return nil }
        let (product, overflow) = units.multipliedReportingOverflow(by: ExactDecimal.power(newScale - scale))
        return overflow ? nil : ExactDecimal(units: product, scale: newScale)
    }

    /// This value rounded half away from zero to `newScale` digits (or widened when larger).
    public func rounded(toScale newScale: Int) -> ExactDecimal {
        if newScale >= scale { return scaled(to: newScale) ?? self }
        let divisor = ExactDecimal.power(scale - newScale)
        var quotient = units / divisor
        let remainder = units % divisor
        if remainder.magnitude * 2 >= divisor.magnitude { quotient += units < 0 ? -1 : 1 }
        return ExactDecimal(units: quotient, scale: newScale)
    }

    /// The smallest scale that represents this value exactly (`1.300` -> `1.3`).
    public var normalized: ExactDecimal {
        var units = self.units
        var scale = self.scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return ExactDecimal(units: units, scale: scale)
    }

    /// True when both the value and the published scale are the same.
    public func isIdentical(to other: ExactDecimal) -> Bool {
        units == other.units && scale == other.scale
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        // The common case (totals checked on every PPRRVU row), without scaling.
        if lhs.storedScale == rhs.storedScale { return lhs.units == rhs.units }
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.scaled(to: scale), let right = rhs.scaled(to: scale) else {
            return lhs.normalized.isIdentical(to: rhs.normalized)
        }
        return left.units == right.units
    }

    public func hash(into hasher: inout Hasher) {
        let normal = normalized
        hasher.combine(normal.units)
        hasher.combine(normal.scale)
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.scaled(to: scale), let right = rhs.scaled(to: scale) else {
            return lhs.doubleValue < rhs.doubleValue
        }
        return left.units < right.units
    }

    /// Sum at the larger of the two scales. Traps on overflow, which the value ranges in these
    /// files (at most a few thousand, at most 12 digits of fraction) cannot reach.
    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        // The common case, without scaling (which would leave both as they are).
        if lhs.storedScale == rhs.storedScale {
            return ExactDecimal(units: lhs.units + rhs.units, storedScale: lhs.storedScale)
        }
        let scale = max(lhs.scale, rhs.scale)
        let left = lhs.scaled(to: scale) ?? lhs
        let right = rhs.scaled(to: scale) ?? rhs
        return ExactDecimal(units: left.units + right.units, scale: scale)
    }

    /// Difference at the larger of the two scales.
    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        lhs + ExactDecimal(units: -rhs.units, scale: rhs.scale)
    }

    /// Exact product; its scale is the sum of the scales (capped at ``maximumScale`` by rounding).
    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        var left = lhs
        var right = rhs
        while left.scale + right.scale > maximumScale {
            if left.scale >= right.scale {
                left = left.rounded(toScale: left.scale - 1)
            } else {
                right = right.rounded(toScale: right.scale - 1)
            }
        }
        return ExactDecimal(units: left.units * right.units, scale: left.scale + right.scale)
    }

    /// The value as a `Double`, for storage in a REAL column only (never for arithmetic here).
    public var doubleValue: Double {
        // Units below 2^53 and powers of ten up to 10^18 are exact doubles, and IEEE division
        // rounds correctly: the quotient is the double nearest the decimal. Otherwise print
        // and re-parse.
        if units.magnitude < 1 << 53 { return Double(units) / Double(ExactDecimal.power(scale)) }
        return Double(description) ?? Double(units) / Double(ExactDecimal.power(scale))
    }

    /// The published form: `1.30`, `33.2875`, `-0.05`, `0`.
    public var description: String {
        let magnitude = units.magnitude
        let sign = units < 0 ? "-" : ""
        guard scale > 0 else { return sign + String(magnitude) }
        let divisor = UInt64(ExactDecimal.power(scale))
        let whole = magnitude / divisor
        var fraction = String(magnitude % divisor)
        if fraction.count < scale {
            fraction = String(repeating: "0", count: scale - fraction.count) + fraction
        }
        return "\(sign)\(whole).\(fraction)"
    }
}

extension ExactDecimal {
    /// Parses plain decimal text (`12`, `-0.5`, `.00`, `1,234.5` is rejected) exactly.
    /// With `allowExponent`, also the scientific form spreadsheets write (`8.6E-2`).
    public init?(_ text: String, allowExponent: Bool = false) {
        var text = text
        guard let value = text.withUTF8({ ExactDecimal.parse($0, allowExponent: allowExponent) }) else {
            return nil
        }
        self = value
    }

    /// Parses ASCII bytes; leading and trailing spaces are ignored. Returns nil for anything that
    /// is not a decimal number (empty text included).
    @inline(__always)
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, allowExponent: Bool = false) -> ExactDecimal? {
        if let value = parsePlain(bytes) { return value }
        return parseAnyForm(bytes, allowExponent: allowExponent)
    }

    /// The common case of ``parse(_:allowExponent:)`` in one pass: an optional `-`, digits and at
    /// most one point, 18 bytes at most (so that the units cannot overflow and no digit is
    /// dropped). Nil for anything else, which ``parseAnyForm(_:allowExponent:)`` then reads
    /// (or rejects): the two agree on every text this one accepts.
    @inlinable
    public static func parsePlain(_ bytes: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        guard let base = bytes.baseAddress, bytes.count <= 18, bytes.count > 0 else { return nil }
        var index = base[0] == 0x2D ? 1 : 0
        var units: Int64 = 0
        var pointAt = -1
        let count = bytes.count
        guard index < count else { return nil }
        while index < count {
            let digit = base[index] &- 0x30
            if digit < 10 {
                units = units &* 10 &+ Int64(digit)
            } else if base[index] == 0x2E, pointAt < 0 {
                pointAt = index
            } else {
                return nil
            }
            index += 1
        }
        let scale = pointAt < 0 ? 0 : count - 1 - pointAt
        // At least one digit, and a fraction the type keeps exactly.
        let digits = count - (base[0] == 0x2D ? 1 : 0) - (pointAt < 0 ? 0 : 1)
        guard digits > 0, scale <= maximumScale else { return nil }
        return ExactDecimal(units: base[0] == 0x2D ? -units : units, scale: scale)
    }

    /// Parses any form ``parse(_:allowExponent:)`` accepts; see there.
    package static func parseAnyForm(_ bytes: UnsafeBufferPointer<UInt8>, allowExponent: Bool) -> ExactDecimal? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return nil }
        var index = start
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        var units: Int64 = 0
        var scale = 0
        var digits = 0
        var seenPoint = false
        var significant = 0
        while index < end {
            let byte = bytes[index]
            if byte >= 0x30, byte <= 0x39 {
                digits += 1
                if units != 0 || byte != 0x30 { significant += 1 }
                if significant > 18 {
                    // More precision than an Int64 holds: only acceptable for trailing fraction
                    // digits, which the caller rounds anyway; drop them.
                    guard seenPoint else { return nil }
                    index += 1
                    continue
                }
                units = units * 10 + Int64(byte - 0x30)
                if seenPoint { scale += 1 }
            } else if byte == 0x2E, !seenPoint {
                seenPoint = true
            } else if allowExponent, byte == 0x45 || byte == 0x65 {
                break
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        var exponent = 0
        if index < end {
            // Exponent part.
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == 0x2D || bytes[index] == 0x2B {
                exponentNegative = bytes[index] == 0x2D
                index += 1
            }
            var exponentDigits = 0
            while index < end {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39, exponentDigits < 4 else { return nil }
                exponent = exponent * 10 + Int(byte - 0x30)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        scale -= exponent
        while scale < 0 {
            let (product, overflow) = units.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            units = product
            scale += 1
        }
        var value = ExactDecimal(units: 0, scale: 0)
        if scale > maximumScale {
            // Keep maximumScale digits, rounding the rest half away from zero.
            let drop = scale - maximumScale
            guard drop <= 18 else { return ExactDecimal(units: 0, scale: maximumScale) }
            let divisor = power(drop)
            var quotient = units / divisor
            if (units % divisor) * 2 >= divisor { quotient += 1 }
            value = ExactDecimal(units: quotient, scale: maximumScale)
        } else {
            value = ExactDecimal(units: units, scale: scale)
        }
        return negative ? ExactDecimal(units: -value.units, scale: value.scale) : value
    }
}

extension ExactDecimal: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = ExactDecimal(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a decimal: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
