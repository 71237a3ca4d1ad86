/// One fixed-width line under construction: fields are placed at 1-based, inclusive positions
/// as the CMS readme documents them (`HCPCS 1-5`, `WORK 60-65`).
struct FixedWidthRecord {
    /// How a value sits in a field wider than the value.
    enum Alignment {
        case left, right
    }

    private var characters: [UInt8]

    /// A blank record of `length` characters.
    init(length: Int) {
        characters = Array(repeating: 0x20, count: length)
    }

    /// Writes `text` into `positions`. A value longer than the field is an error in the sample
    /// data unless `truncating` is set (CMS cuts some names and county lists).
    mutating func put(_ text: String, at positions: ClosedRange<Int>, _ alignment: Alignment = .left, truncating: Bool = false) {
        precondition(text.unicodeScalars.allSatisfy(\.isASCII), "sample text must be ASCII: \(text)")
        precondition(positions.lowerBound >= 1 && positions.upperBound <= characters.count, "field \(positions) outside the record")
        var value = Array(text.utf8)
        let width = positions.count
        if value.count > width {
            precondition(truncating, "\"\(text)\" does not fit in positions \(positions)")
            value = Array(value.prefix(width))
        }
        let start = positions.lowerBound - 1 + (alignment == .right ? width - value.count : 0)
        characters.replaceSubrange(start..<(start + value.count), with: value)
    }

    /// The record's characters.
    var bytes: [UInt8] { characters }

    /// The record without trailing spaces (the LOCCO and GPCI footers are written that way).
    var trimmedBytes: [UInt8] {
        var end = characters.count
        while end > 0, characters[end - 1] == 0x20 { end -= 1 }
        return Array(characters[..<end])
    }
}
