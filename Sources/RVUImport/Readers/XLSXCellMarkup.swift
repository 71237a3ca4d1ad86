/// One worksheet cell in its common shape, recognised straight from the bytes of a sheet part:
/// `<c r="B12" s="3" t="s"><v>17</v></c>`, `<c r="C12"><v>0.5</v></c>` or `<c r="D12" s="2"/>`.
///
/// A worksheet is little else than half a million of these, and reading each one as general
/// XML (a start tag whose attributes are recorded and checked for repeats, two elements pushed
/// and popped, four events, the cell's attributes looked up by name) was most of the cost of
/// reading a sheet. ``read(_:_:valueClass:textClass:)`` accepts only markup whose meaning is
/// plain, so that what it returns describes the events completely:
///
/// - the unprefixed name `c`, then attributes separated by spaces (no tabs or line ends);
/// - only the attributes `r`, `s` and `t`, each at most once, in either quotes, with values
///   holding no reference, `<`, tab, line end, control or non-ASCII character;
/// - an empty element, no content at all, or exactly one `<v>` whose text holds no reference,
///   `<`, `]`, line end, control or non-ASCII character;
/// - end tags written exactly `</v>` and `</c>`, and all of it within the buffer.
///
/// For anything else it returns nil without looking further, and ``XMLScanner`` reads the markup
/// as it always did, with the same events or the same error. Whatever it accepts is well-formed
/// XML (given an open element to hold it), so the scanner has nothing left to check.
struct XLSXCellMarkup {
    /// The `r` attribute's value (`B12`), if any.
    var reference: UnsafeBufferPointer<UInt8>?
    /// The 0-based column of `reference` when it is one to three capital letters up to `XFD`
    /// then digits, as nearly all are (`B12` gives 1); otherwise -1, and the reader of the cell
    /// makes of `reference` what it makes of any other.
    var column: Int
    /// The `t` attribute's value (`s`, `str`, `inlineStr`, ...), if any.
    var type: UnsafeBufferPointer<UInt8>?
    /// The text of `<v>`, possibly empty; nil when the cell has no `<v>`.
    var value: UnsafeBufferPointer<UInt8>?
    /// The byte after the cell's end (after `/>` or `</c>`).
    var end: UnsafePointer<UInt8>

    /// The cell whose `<c` is at `start`, in a buffer ending at `end`, when it has one of the
    /// shapes above; `valueClass` and `textClass` are ``XMLScanner``'s tables of byte classes
    /// (0 is a plain byte in both, 5 a quote in attribute values).
    @inline(__always)
    static func read(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, valueClass: UnsafePointer<UInt8>,
        textClass: UnsafePointer<UInt8>
    ) -> XLSXCellMarkup? {
        guard end - start > 3, start[0] == 0x3C, start[1] == 0x63 else { return nil }  // <c
        var cell = XLSXCellMarkup(reference: nil, column: -1, type: nil, value: nil, end: start)
        var p = start + 2
        var seen: UInt8 = 0
        var empty = false
        while true {
            guard p < end else { return nil }
            var byte = p.pointee
            if byte == 0x3E {  // >
                p += 1
                break
            }
            if byte == 0x2F {  // />
                guard p + 1 < end, p[1] == 0x3E else { return nil }
                p += 2
                empty = true
                break
            }
            guard byte == 0x20 else { return nil }
            repeat {
                p += 1
                guard p < end else { return nil }
                byte = p.pointee
            } while byte == 0x20
            if byte == 0x3E || byte == 0x2F { continue }
            // `n="` or `n='` with a one-letter name n of r, s or t, not seen before in this tag.
            guard end - p > 3, p[1] == 0x3D else { return nil }
            let bit: UInt8
            switch byte {
            case 0x72: bit = 1  // r
            case 0x73: bit = 2  // s
            case 0x74: bit = 4  // t
            default: return nil
            }
            guard seen & bit == 0 else { return nil }
            seen |= bit
            let quote = p[2]
            guard quote == 0x22 || quote == 0x27 else { return nil }
            let valueStart = p + 3
            var q = valueStart
            if bit == 1 {
                // The usual reference, `AB12`: its column is worked out on the way.
                var column = 0
                while q < end, q - valueStart < 3 {
                    let letter = q.pointee &- 0x41
                    guard letter < 26 else { break }
                    column = column &* 26 &+ Int(letter) &+ 1
                    q += 1
                }
                let letters = q - valueStart
                while q < end, q.pointee &- 0x30 < 10 { q += 1 }
                if letters > 0, q - valueStart > letters, q < end, q.pointee == quote,
                    column <= XLSXSheetParser.maximumColumn
                {
                    cell.reference = UnsafeBufferPointer(start: valueStart, count: q - valueStart)
                    cell.column = column &- 1
                    p = q + 1
                    continue
                }
                q = valueStart
            }
            while true {
                guard q < end else { return nil }
                let kind = valueClass[Int(q.pointee)]
                if kind != 0 {
                    guard kind == 5 else { return nil }
                    if q.pointee == quote { break }
                }
                q += 1
            }
            let value = UnsafeBufferPointer(start: valueStart, count: q - valueStart)
            if bit == 1 {
                cell.reference = value
            } else if bit == 4 {
                cell.type = value
            }
            p = q + 1
        }
        guard p - start <= XMLScanner.maximumMarkup else { return nil }
        if empty {
            cell.end = p
            return cell
        }
        // `</c>`, or `<v>`, text and `</v></c>`.
        guard end - p >= 4 else { return nil }
        let word = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self)
        if word == UInt32(littleEndian: 0x3E63_2F3C) {  // </c>
            cell.end = p + 4
            return cell
        }
        guard word & UInt32(littleEndian: 0x00FF_FFFF) == UInt32(littleEndian: 0x003E_763C) else { return nil }  // <v>
        let textStart = p + 3
        var q = textStart
        while true {
            guard q < end else { return nil }
            if textClass[Int(q.pointee)] != 0 { break }
            q += 1
        }
        guard end - q >= 8,
            UnsafeRawPointer(q).loadUnaligned(as: UInt64.self) == UInt64(littleEndian: 0x3E63_2F3C_3E76_2F3C)  // </v></c>
        else { return nil }
        cell.value = UnsafeBufferPointer(start: textStart, count: q - textStart)
        cell.end = q + 8
        return cell
    }
}
