import RVUCore

/// A streaming, well-formedness-checking XML 1.0 scanner for the large parts of a workbook
/// (worksheets), driving the same events as libxml2 does for an ``XMLPushParser``.
///
/// It reads UTF-8 documents as far as a spreadsheet part can contain them: an XML declaration,
/// elements with or without namespace prefixes (reported by local name; `xmlns` attributes are
/// not reported), attributes in either quotes, the five predefined entities and character
/// references, CDATA sections, comments and processing instructions (skipped). A document type
/// declaration is refused (`xlsx-doctype`); anything else that is not well-formed (mismatched
/// or unclosed tags, an undeclared entity, invalid UTF-8, a control character, text outside the
/// root element, a repeated attribute) is `xlsx-malformed` with the line and column. Resources
/// are bounded: a tag, comment, CDATA section or processing instruction is at most
/// ``maximumMarkup`` bytes, elements nest at most ``maximumDepth`` deep and carry at most
/// ``maximumAttributes`` attributes. Namespace prefixes are not checked against their
/// declarations.
///
/// Chunks may split a token anywhere: the unfinished token is carried over and completed from
/// the next chunk. A document declaring another encoding than UTF-8, or starting with a UTF-16
/// byte order mark, is not read here: ``feed(_:)`` throws ``NeedsLibXML2`` before any event.
final class XMLScanner {
    /// Thrown, before any event, for a document in another encoding than UTF-8.
    struct NeedsLibXML2: Error {}

    /// The longest tag, comment, CDATA section or processing instruction accepted.
    static let maximumMarkup = 1 << 20
    /// The deepest element nesting accepted.
    static let maximumDepth = 256
    /// The most attributes (namespace declarations included) accepted on one element.
    static let maximumAttributes = 256
    /// The longest element or attribute name accepted.
    static let maximumName = 1000

    /// Where the scanner is in the document.
    private enum Phase { case start, prolog, content, epilog }

    /// An open element: its qualified name (NUL-terminated) in `names`, and its line.
    private struct Frame {
        var start: Int
        var count: Int
        var local: Int
        var line: Int
        /// For a name of at most 5 bytes, its end tag `</name>` as a little-endian number (see
        /// ``XMLScanner/fastEndTag(_:_:)``) and the mask of its bytes in 8.
        var closing: UInt64
        var closingMask: UInt64
    }

    /// Why a token could not be finished in the bytes at hand.
    private struct Incomplete: Error {}

    /// Not retained: ``XMLPushParser/parse(engine:_:)`` keeps it alive while scanning, and calls
    /// through it retain nothing.
    private let handler: Unmanaged<XMLPushParser>
    private let part: String
    private let location: SourceLocation
    /// The handler's ``XMLPushParser/readsCells``, read once.
    private let readsCells: Bool

    // Byte classes; see ``XMLScanner/makeTables()``.
    private let textClass: UnsafePointer<UInt8>
    private let valueClass: UnsafePointer<UInt8>
    private let nameClass: UnsafePointer<UInt8>

    @exclusivity(unchecked) private var phase = Phase.start
    /// True once the encoding question is settled (so that no replay through libxml2 can happen).
    @exclusivity(unchecked) private(set) var decided = false
    @exclusivity(unchecked) private var line = 1
    /// Absolute offset of the first byte of the current line.
    @exclusivity(unchecked) private var lineStart = 0
    /// The absolute offset of a byte of the buffer being scanned less its address.
    @exclusivity(unchecked) private var bufferDelta = 0
    /// Set by ``text(_:_:final:)`` when it stopped before a construct the buffer does not finish.
    @exclusivity(unchecked) private var stalled = false
    /// Absolute offset of the next byte not yet consumed.
    @exclusivity(unchecked) private var position = 0

    @exclusivity(unchecked) private var frames: UnsafeMutablePointer<Frame>
    @exclusivity(unchecked) private var depth = 0
    @exclusivity(unchecked) private var names: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var namesCount = 0
    private let namesCapacity: Int

    @exclusivity(unchecked) private var attributes: UnsafeMutablePointer<XMLScannedAttribute>
    /// By attribute, in ``fastAttribute(_:_:index:)``: the first bytes and length of its name.
    @exclusivity(unchecked) private var attributeKeys: UnsafeMutablePointer<UInt64>
    /// Offsets into `scratch` of decoded attribute values, by attribute.
    @exclusivity(unchecked) private var scratchOffsets: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var scratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var scratchCapacity = 4096
    @exclusivity(unchecked) private var scratchCount = 0
    /// Decoded text of one reference.
    @exclusivity(unchecked) private var decoded: UnsafeMutablePointer<UInt8>

    @exclusivity(unchecked) private var carry: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var carryCapacity = 1 << 16
    @exclusivity(unchecked) private var carryCount = 0

    /// A scanner delivering events to `handler`, naming `part` at `location` in messages.
    init(handler: XMLPushParser, part: String, location: SourceLocation) {
        self.handler = Unmanaged.passUnretained(handler)
        readsCells = handler.readsCells
        self.part = part
        self.location = location
        let tables = XMLScanner.tables
        textClass = tables
        valueClass = tables + 256
        nameClass = tables + 512
        frames = .allocate(capacity: XMLScanner.maximumDepth + 1)
        namesCapacity = (XMLScanner.maximumDepth + 1) * (XMLScanner.maximumName + 1)
        // Names are stored 8 bytes at a time (see ``push(_:nameEnd:local:attributes:empty:)``).
        names = .allocate(capacity: namesCapacity + 8)
        attributes = .allocate(capacity: XMLScanner.maximumAttributes)
        attributeKeys = .allocate(capacity: XMLScanner.maximumAttributes)
        scratchOffsets = .allocate(capacity: XMLScanner.maximumAttributes)
        scratch = .allocate(capacity: scratchCapacity)
        decoded = .allocate(capacity: 8)
        carry = .allocate(capacity: carryCapacity)
    }

    deinit {
        frames.deallocate()
        names.deallocate()
        attributes.deallocate()
        attributeKeys.deallocate()
        scratchOffsets.deallocate()
        scratch.deallocate()
        decoded.deallocate()
        carry.deallocate()
    }

    // MARK: Chunks

    /// Scans the next chunk of the document; an unfinished token at its end is kept for the next.
    func feed(_ chunk: UnsafeRawBufferPointer) throws {
        guard let raw = chunk.baseAddress, chunk.count > 0 else { return }
        var rest = raw.assumingMemoryBound(to: UInt8.self)
        var restCount = chunk.count
        while restCount > 0 {
            if carryCount == 0 {
                let consumed = try scan(rest, restCount, final: false)
                if consumed < restCount { try keep(rest + consumed, restCount - consumed) }
                return
            }
            // Complete the carried token from this chunk, taking more each time round so that
            // a long token is not rescanned more than a few times.
            let previous = carryCount
            let take = min(restCount, max(previous, 4096))
            try keep(rest, take)
            let consumed = try scan(carry, carryCount, final: false)
            if consumed >= previous {
                // What is left starts in this chunk: scan on from there.
                let skip = consumed - previous
                rest += skip
                restCount -= skip
                carryCount = 0
            } else {
                rest += take
                restCount -= take
                carry.update(from: carry + consumed, count: carryCount - consumed)
                carryCount -= consumed
            }
        }
    }

    /// Ends the document: scans what was carried over and checks that the root element closed.
    func finish() throws {
        if carryCount > 0 {
            let consumed = try scan(carry, carryCount, final: true)
            carryCount -= consumed
        }
        switch phase {
        case .epilog:
            return
        case .content:
            let frame = frames[depth - 1]
            throw malformed(
                "premature end of data: <\(name(of: frame))> (line \(frame.line)) is not closed", at: position)
        case .start, .prolog:
            if !decided { try decideEncoding(nil) }
            throw malformed("the document has no root element", at: position)
        }
    }

    /// Appends bytes to the carry-over buffer, refusing a token longer than ``maximumMarkup``.
    private func keep(_ bytes: UnsafePointer<UInt8>, _ count: Int) throws {
        if carryCount + count > carryCapacity {
            guard carryCount <= XMLScanner.maximumMarkup else {
                throw malformed(
                    "markup (a tag, comment or CDATA section) longer than \(XMLScanner.maximumMarkup) bytes",
                    at: position)
            }
        }
        XMLScanner.append(bytes, count, to: &carry, count: &carryCount, capacity: &carryCapacity)
    }

    /// Appends bytes to a buffer, doubling its capacity as needed (the buffer may move).
    @inline(__always)
    private static func append(
        _ bytes: UnsafePointer<UInt8>, _ count: Int, to buffer: inout UnsafeMutablePointer<UInt8>, count used: inout Int,
        capacity: inout Int
    ) {
        if used + count > capacity {
            var grownCapacity = capacity
            while grownCapacity < used + count { grownCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity)
            grown.update(from: buffer, count: used)
            buffer.deallocate()
            buffer = grown
            capacity = grownCapacity
        }
        (buffer + used).update(from: bytes, count: count)
        used += count
    }

    // MARK: Scanning

    /// Scans `count` bytes from `base`; returns how many were consumed (the rest is an unfinished
    /// token, or nothing). With `final`, an unfinished token is an error.
    private func scan(_ base: UnsafePointer<UInt8>, _ count: Int, final: Bool) throws -> Int {
        bufferDelta = position &- Int(bitPattern: base)
        let end = base + count
        var p = base
        while p < end {
            if phase == .content {
                // The common shapes first; what they leave is read below, one token at a time.
                p = try fastContent(p, end)
                if p == end { break }
            }
            if phase == .content {
                p = try text(p, end, final: final)
                if stalled {
                    stalled = false
                    position = offset(p)
                    return p - base
                }
                if p == end { break }
            }
            // Markup (or, outside the root element, white space and markup).
            let tokenStart = p
            let savedLine = line
            let savedLineStart = lineStart
            do {
                switch phase {
                case .content: p = try markup(p, end)
                case .start: p = try documentStart(p, end, final: final)
                case .prolog, .epilog: p = try outside(p, end)
                }
            } catch is Incomplete {
                line = savedLine
                lineStart = savedLineStart
                if final { throw malformed("the document ends inside markup", at: offset(end)) }
                if end - tokenStart > XMLScanner.maximumMarkup {
                    throw malformed(
                        "markup (a tag, comment or CDATA section) longer than \(XMLScanner.maximumMarkup) bytes",
                        at: offset(tokenStart))
                }
                position = offset(tokenStart)
                return tokenStart - base
            }
        }
        position = offset(end)
        return count
    }

    /// The absolute offset of `p` in the buffer being scanned.
    @inline(__always)
    private func offset(_ p: UnsafePointer<UInt8>) -> Int { bufferDelta &+ Int(bitPattern: p) }

    /// Counts a line feed at `p`.
    @inline(__always)
    private func newline(_ p: UnsafePointer<UInt8>) {
        line += 1
        lineStart = offset(p) + 1
    }

    /// Character data inside the root element, up to the next `<` or the end of the buffer; sets
    /// `stalled` when it stopped before a reference, line end or character the buffer cuts short.
    private func text(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, final: Bool) throws
        -> UnsafePointer<UInt8>
    {
        let classes = textClass
        var p = start
        var run = start
        while p < end {
            let kind = classes[Int(p.pointee)]
            if kind == 0 {
                p += 1
                continue
            }
            if kind == 1 {  // \n
                newline(p)
                p += 1
                continue
            }
            if kind == 4 {  // non-ASCII
                let length = XMLScanner.utf8Length(p, end)
                if length > 0 {
                    p += length
                    continue
                }
                if length < 0 || final { throw invalidUTF8(p, end) }
                try flush(run, p)
                stalled = true
                return p
            }
            try flush(run, p)
            switch p.pointee {
            case 0x3C:  // <
                return p
            case 0x26:  // &
                do {
                    p = try reference(p, end)
                } catch is Incomplete {
                    if final { throw malformed("the document ends inside a reference", at: offset(p)) }
                    stalled = true
                    return p
                }
                try handler._withUnsafeGuaranteedRef { try $0.characters(UnsafeBufferPointer(start: decoded, count: decodedCount)) }
            case 0x0D:  // \r: a line end, reported as \n
                if p + 1 == end, !final {
                    stalled = true
                    return p
                }
                decoded.pointee = 0x0A
                try handler._withUnsafeGuaranteedRef { try $0.characters(UnsafeBufferPointer(start: decoded, count: 1)) }
                if p + 1 < end, p[1] == 0x0A { p += 1 }
                newline(p)
                p += 1
            case 0x5D:  // ]
                if p + 2 >= end, !final {
                    stalled = true
                    return p
                }
                if p + 2 < end, p[1] == 0x5D, p[2] == 0x3E {
                    throw malformed("sequence ']]>' not allowed in content", at: offset(p))
                }
                // A `]` of the text, like any other character.
                run = p
                p += 1
                continue
            default:
                throw controlCharacter(p)
            }
            run = p
        }
        try flush(run, p)
        return p
    }

    /// Reports the text from `start` to `end`, if any.
    @inline(__always)
    private func flush(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws {
        if end > start { try handler._withUnsafeGuaranteedRef { try $0.characters(UnsafeBufferPointer(start: start, count: end - start)) } }
    }

    // MARK: The fast path

    /// Reads content in the shapes a worksheet is made of (plain text, start tags with ASCII
    /// names and attribute values without references, end tags) up to the first token that it
    /// leaves to the general path (``text(_:_:final:)``, ``markup(_:_:)``): any other token, one
    /// this buffer does not finish, or a malformed one. Returns where it stopped, which is after
    /// the root element when that closes. What it reads it reports as the general path would.
    private func fastContent(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws
        -> UnsafePointer<UInt8>
    {
        let classes = textClass
        var p = start
        while p < end {
            if p.pointee != 0x3C {
                // Plain text and line feeds up to `<`; anything else goes back to the general path.
                let run = p
                let savedLine = line
                let savedLineStart = lineStart
                while p < end {
                    let kind = classes[Int(p.pointee)]
                    if kind == 0 {
                        p += 1
                    } else if kind == 1 {
                        newline(p)
                        p += 1
                    } else {
                        break
                    }
                }
                if p < end, p.pointee != 0x3C {
                    line = savedLine
                    lineStart = savedLineStart
                    return run
                }
                try flush(run, p)
                if p == end { return p }
            }
            let next: UnsafePointer<UInt8>?
            if p + 1 < end, p[1] == 0x2F {
                next = try fastEndTag(p, end)
            } else if readsCells, let cell = try fastCell(p, end) {
                next = cell
            } else {
                next = try fastStartTag(p, end)
            }
            guard let next else { return p }
            p = next
            if depth == 0 { return p }
        }
        return p
    }

    /// The worksheet cell at `start` when ``XLSXCellMarkup`` recognises it and the handler takes
    /// it whole (see ``XMLPushParser/cell(_:)``); nil, having changed nothing, for any other.
    /// The cell and its `<v>` would be two elements deeper: where that would pass
    /// ``maximumDepth`` the general path reads them, and says so.
    @inline(__always)
    private func fastCell(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8>? {
        guard depth &+ 2 <= XMLScanner.maximumDepth,
            let cell = XLSXCellMarkup.read(start, end, valueClass: valueClass, textClass: textClass),
            try handler._withUnsafeGuaranteedRef({ try $0.cell(cell) })
        else { return nil }
        return cell.end
    }

    /// The start tag at `start` when its names are ASCII, its attribute values hold no
    /// reference, tab or line end, and the buffer holds all of it; nil, having changed nothing
    /// but the attribute records, for any other (which the general path then reads).
    @inline(__always)
    private func fastStartTag(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws
        -> UnsafePointer<UInt8>?
    {
        guard let (nameEnd, local) = XMLScanner.fastName(start + 1, end, nameClass) else { return nil }
        var p = nameEnd
        var count = 0
        var empty = false
        while true {
            guard p < end else { return nil }
            var byte = p.pointee
            if byte == 0x3E {
                p += 1
                break
            }
            if byte == 0x2F {
                guard p + 1 < end, p[1] == 0x3E else { return nil }
                p += 2
                empty = true
                break
            }
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { return nil }
            repeat {
                p += 1
                guard p < end else { return nil }
                byte = p.pointee
            } while byte == 0x20 || byte == 0x09 || byte == 0x0D
            if byte == 0x3E || byte == 0x2F { continue }
            guard count < XMLScanner.maximumAttributes, let next = fastAttribute(p, end, index: count) else { return nil }
            p = next
            count &+= 1
        }
        guard p - start <= XMLScanner.maximumMarkup, depth < XMLScanner.maximumDepth else { return nil }
        try push(start, nameEnd: nameEnd, local: local, attributes: count, empty: empty, end: end)
        return p
    }

    /// The attribute at `start` (its name) when it is `name="value"` or `name='value'` with an
    /// ASCII name, a value without references, tabs or line ends, and a name not used before in
    /// the tag: stores it as attribute `index` and returns its end; nil for any other.
    @inline(never)
    private func fastAttribute(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, index: Int)
        -> UnsafePointer<UInt8>?
    {
        guard let (nameEnd, local) = XMLScanner.fastName(start, end, nameClass), end - nameEnd > 2,
            nameEnd.pointee == 0x3D
        else { return nil }
        let quote = nameEnd[1]
        guard quote == 0x22 || quote == 0x27 else { return nil }
        let valueStart = nameEnd + 2
        let classes = valueClass
        var p = valueStart
        while true {
            guard p < end else { return nil }
            let kind = classes[Int(p.pointee)]
            if kind != 0 {
                guard kind == 5 else { return nil }
                if p.pointee == quote { break }
            }
            p += 1
        }
        // Attribute names are unique within an element (compared as written): names with the
        // same key (first bytes and length) are compared in full.
        let nameCount = nameEnd - start
        let key =
            XMLScanner.prefix(start, min(nameCount, 8), end)
            | (nameCount < 8 ? UInt64(truncatingIfNeeded: nameCount) &<< 56 : 0)
        let keys = attributeKeys
        for other in 0..<index where keys[other] == key {
            let previous = attributes[other]
            if previous.nameCount + (previous.name - previous.qualifiedStart) == nameCount,
                XMLScanner.same(previous.qualifiedStart, start, nameCount)
            {
                return nil
            }
        }
        keys[index] = key
        var record = XMLScannedAttribute(
            name: local, nameCount: nameEnd - local, prefixed: local != start, value: valueStart,
            valueCount: p - valueStart, isNamespaceDeclaration: XMLScanner.isNamespaceDeclaration(start, nameEnd, local: local))
        record.qualifiedStart = start
        attributes[index] = record
        return p + 1
    }

    /// The end tag at `start` when it is `</name>` for the open element and the buffer holds
    /// all of it; nil, having changed nothing, for any other.
    @inline(__always)
    private func fastEndTag(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws
        -> UnsafePointer<UInt8>?
    {
        let frame = frames[depth - 1]
        let count = frame.count
        if count <= 5, end - start >= 8 {
            // `</name>` in one word.
            let word = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
            guard word & frame.closingMask == frame.closing else { return nil }
        } else {
            let name = start + 2
            guard end - name > count, name[count] == 0x3E,
                XMLScanner.same(name, UnsafePointer(names + frame.start), count)
            else { return nil }
        }
        try closeElement()
        return start + count + 3
    }

    /// An ASCII qualified name at `start` that the buffer holds with the byte after it, as
    /// ``qualifiedName(_:_:what:)`` reads it (its end and the start of its local part); nil for
    /// any other, valid or not.
    @inline(__always)
    private static func fastName(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ classes: UnsafePointer<UInt8>)
        -> (end: UnsafePointer<UInt8>, local: UnsafePointer<UInt8>)?
    {
        guard start < end, classes[Int(start.pointee)] == 1 else { return nil }
        var p = start + 1
        var local = start
        while p < end {
            let kind = classes[Int(p.pointee)]
            if kind == 1 || kind == 2 {
                p += 1
            } else if kind == 3 {
                guard local == start, p + 1 < end, classes[Int(p[1])] == 1 else { return nil }
                p += 2
                local = p - 1
            } else if kind == 0 {
                guard p - start <= XMLScanner.maximumName else { return nil }
                return (p, local)
            } else {
                return nil
            }
        }
        return nil
    }

    /// The beginning of the document: a byte order mark and an XML declaration, if any.
    private func documentStart(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, final: Bool) throws
        -> UnsafePointer<UInt8>
    {
        var p = start
        if end - p < 6, !final { throw Incomplete() }
        if p[0] == 0x00 || p[0] == 0xFE || p[0] == 0xFF || (end - p >= 2 && p[1] == 0x00) { throw NeedsLibXML2() }
        if p[0] == 0xEF {
            guard end - p >= 3, p[1] == 0xBB, p[2] == 0xBF else { throw invalidUTF8(p, end) }
            p += 3
            if end - p < 6, !final { throw Incomplete() }
        }
        // `<?xml` and a space start a declaration.
        if end - p >= 6, p[0] == 0x3C, p[1] == 0x3F, p[2] == 0x78, p[3] == 0x6D, p[4] == 0x6C, XMLScanner.isSpace(p[5]) {
            p = try declaration(p, end)
        } else {
            try decideEncoding(nil)
        }
        phase = .prolog
        return p
    }

    /// The XML declaration at `start` (`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`).
    private func declaration(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws
        -> UnsafePointer<UInt8>
    {
        var close = start + 5
        while true {
            guard close + 1 < end else { throw Incomplete() }
            if close[0] == 0x3F, close[1] == 0x3E { break }
            close += 1
        }
        var p = start + 5
        var encoding: String?
        var seen = 0
        while true {
            var spaced = false
            while p < close, XMLScanner.isSpace(p.pointee) {
                if p.pointee == 0x0A { newline(p) }
                spaced = true
                p += 1
            }
            if p == close { break }
            guard spaced else { throw malformed("malformed XML declaration", at: offset(p)) }
            let nameStart = p
            while p < close, p.pointee != 0x3D, !XMLScanner.isSpace(p.pointee) { p += 1 }
            let name = String(decoding: UnsafeBufferPointer(start: nameStart, count: p - nameStart), as: UTF8.self)
            while p < close, XMLScanner.isSpace(p.pointee) { p += 1 }
            guard p < close, p.pointee == 0x3D else { throw malformed("malformed XML declaration", at: offset(p)) }
            p += 1
            while p < close, XMLScanner.isSpace(p.pointee) { p += 1 }
            guard p < close, p.pointee == 0x22 || p.pointee == 0x27 else {
                throw malformed("malformed XML declaration", at: offset(p))
            }
            let quote = p.pointee
            p += 1
            let valueStart = p
            while p < close, p.pointee != quote { p += 1 }
            guard p < close else { throw malformed("malformed XML declaration", at: offset(p)) }
            let value = String(decoding: UnsafeBufferPointer(start: valueStart, count: p - valueStart), as: UTF8.self)
            p += 1
            switch (name, seen) {
            case ("version", 0):
                guard value.hasPrefix("1."), value.count > 2, value.dropFirst(2).allSatisfy(\.isASCII),
                    value.dropFirst(2).allSatisfy(\.isNumber)
                else { throw malformed("unsupported XML version '\(value)'", at: offset(valueStart)) }
                seen = 1
            case ("encoding", 1):
                encoding = value
                seen = 2
            case ("standalone", 1), ("standalone", 2):
                guard value == "yes" || value == "no" else {
                    throw malformed("standalone accepts only 'yes' or 'no'", at: offset(valueStart))
                }
                seen = 3
            default:
                throw malformed("malformed XML declaration ('\(name)' unexpected)", at: offset(nameStart))
            }
        }
        guard seen > 0 else { throw malformed("the XML declaration has no version", at: offset(close)) }
        try decideEncoding(encoding)
        return close + 2
    }

    /// Settles the encoding: UTF-8 (declared or not) is read here, anything else by libxml2.
    private func decideEncoding(_ encoding: String?) throws {
        if let encoding {
            let name = encoding.uppercased()
            guard name == "UTF-8" || name == "UTF8" else { throw NeedsLibXML2() }
        }
        decided = true
    }

    /// Before or after the root element: white space, comments, processing instructions, the root.
    private func outside(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        var p = start
        while p < end, XMLScanner.isSpace(p.pointee) {
            if p.pointee == 0x0A { newline(p) }
            p += 1
        }
        guard p < end else { return p }
        guard p.pointee == 0x3C else {
            throw malformed(
                phase == .epilog ? "extra content at the end of the document" : "start tag expected, '<' not found",
                at: offset(p))
        }
        return try markup(p, end)
    }

    /// Markup starting with `<` at `start`.
    private func markup(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        guard start + 1 < end else { throw Incomplete() }
        switch start[1] {
        case 0x2F:  // </
            guard phase == .content else {
                throw malformed("extra content at the end of the document", at: offset(start))
            }
            return try endTag(start, end)
        case 0x3F:  // <?
            return try processingInstruction(start, end)
        case 0x21:  // <!
            return try declarationOrComment(start, end)
        default:
            guard phase != .epilog else {
                throw malformed("extra content at the end of the document", at: offset(start))
            }
            return try startTag(start, end)
        }
    }

    // MARK: Tags

    /// A start tag or empty-element tag at `start`.
    private func startTag(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        let (nameEnd, nameLocal) = try qualifiedName(start + 1, end, what: "element")
        var p = nameEnd
        var count = 0
        scratchCount = 0
        var empty = false
        while true {
            var spaced = false
            while p < end {
                let byte = p.pointee
                if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                } else if byte == 0x0A {
                    newline(p)
                } else {
                    break
                }
                spaced = true
                p += 1
            }
            guard p < end else { throw Incomplete() }
            if p.pointee == 0x3E {
                p += 1
                break
            }
            if p.pointee == 0x2F {
                guard p + 1 < end else { throw Incomplete() }
                guard p[1] == 0x3E else {
                    throw malformed("expected '>' after '/' in <\(Self.text(start + 1, nameEnd))>", at: offset(p + 1))
                }
                p += 2
                empty = true
                break
            }
            guard spaced else {
                throw malformed(
                    "attributes construct error in <\(Self.text(start + 1, nameEnd))>: expected white space, '>' or '/>'",
                    at: offset(p))
            }
            guard count < XMLScanner.maximumAttributes else {
                throw malformed(
                    "more than \(XMLScanner.maximumAttributes) attributes in <\(Self.text(start + 1, nameEnd))>",
                    at: offset(p))
            }
            p = try attribute(p, end, index: count)
            count += 1
        }
        if p - start > XMLScanner.maximumMarkup {
            throw malformed(
                "markup (a tag, comment or CDATA section) longer than \(XMLScanner.maximumMarkup) bytes",
                at: offset(start))
        }
        guard depth < XMLScanner.maximumDepth else {
            throw malformed("elements nested more than \(XMLScanner.maximumDepth) deep", at: offset(start))
        }
        // Decoded values were written to `scratch`, which no longer moves: point at them.
        for index in 0..<count where attributes[index].value == nil {
            attributes[index].value = UnsafePointer(scratch + scratchOffsets[index])
        }
        try push(start, nameEnd: nameEnd, local: nameLocal, attributes: count, empty: empty, end: end)
        return p
    }

    /// Opens the element whose start tag at `start` (in a buffer ending at `end`) has its name
    /// up to `nameEnd`, the local part from `local`, and `attributes` attributes in
    /// `attributes`: pushes its name, reports it, and closes it at once when `empty`.
    @inline(__always)
    private func push(
        _ start: UnsafePointer<UInt8>, nameEnd: UnsafePointer<UInt8>, local: UnsafePointer<UInt8>, attributes count: Int,
        empty: Bool, end: UnsafePointer<UInt8>
    ) throws {
        // Offsets here are bounded by the buffers' sizes: wrapping arithmetic cannot wrap.
        let name = start + 1
        let nameCount = nameEnd - name
        let frameStart = namesCount
        let target = names + frameStart
        var closing: UInt64 = 0
        var closingMask: UInt64 = 0
        if nameCount <= 8 {
            let prefix = XMLScanner.prefix(name, nameCount, end)
            // The name and zeros to 8 bytes (the buffer has room beyond the last name).
            UnsafeMutableRawPointer(target).storeBytes(of: prefix.littleEndian, as: UInt64.self)
            if nameCount <= 5 {
                let bits = UInt64(truncatingIfNeeded: nameCount &* 8)
                closing = 0x2F3C | prefix &<< 16 | 0x3E &<< (bits &+ 16)
                closingMask = UInt64.max &>> (40 &- bits)
            }
        } else {
            target.update(from: name, count: nameCount)
        }
        target[nameCount] = 0
        namesCount = frameStart &+ nameCount &+ 1
        let localStart = frameStart &+ (local - name)
        frames[depth] = Frame(
            start: frameStart, count: nameCount, local: localStart, line: line, closing: closing,
            closingMask: closingMask)
        depth &+= 1
        phase = .content
        let reported = UnsafePointer(names + localStart)
        try handler._withUnsafeGuaranteedRef {
            try $0.startElement(reported, attributes: XMLAttributes(scanned: attributes, count: count))
        }
        if empty { try closeElement() }
    }

    /// The first `count` (1 to 8) bytes at `p` as a little-endian number, zero-padded; reads
    /// 8 bytes at once when the buffer, which ends at `end`, has them.
    @inline(__always)
    private static func prefix(_ p: UnsafePointer<UInt8>, _ count: Int, _ end: UnsafePointer<UInt8>) -> UInt64 {
        if end - p >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
            return word & (UInt64.max &>> UInt64(truncatingIfNeeded: 64 &- count &* 8))
        }
        var value: UInt64 = 0
        for index in 0..<count { value |= UInt64(p[index]) << UInt64(index &* 8) }
        return value
    }

    /// Reports the end of the innermost element and pops it.
    @inline(__always)
    private func closeElement() throws {
        let frame = frames[depth &- 1]
        try handler._withUnsafeGuaranteedRef { try $0.endElement(UnsafePointer(names + frame.local)) }
        depth &-= 1
        namesCount = frame.start
        if depth == 0 { phase = .epilog }
    }

    /// An end tag at `start`.
    private func endTag(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        let nameStart = start + 2
        let (nameEnd, _) = try qualifiedName(nameStart, end, what: "element")
        var p = nameEnd
        while p < end, XMLScanner.isSpace(p.pointee) {
            if p.pointee == 0x0A { newline(p) }
            p += 1
        }
        guard p < end else { throw Incomplete() }
        let frame = frames[depth - 1]
        let count = nameEnd - nameStart
        guard count == frame.count, XMLScanner.same(nameStart, UnsafePointer(names + frame.start), count) else {
            throw malformed(
                "opening and ending tag mismatch: \(name(of: frame)) line \(frame.line) and \(Self.text(nameStart, nameEnd))",
                at: offset(nameStart))
        }
        guard p.pointee == 0x3E else {
            throw malformed("expected '>' at the end of </\(name(of: frame))>", at: offset(p))
        }
        try closeElement()
        return p + 1
    }

    /// A qualified name from `start`: returns where it ends and where its local part starts.
    @inline(__always)
    private func qualifiedName(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, what: String) throws
        -> (end: UnsafePointer<UInt8>, local: UnsafePointer<UInt8>)
    {
        let classes = nameClass
        var p = start
        var local = start
        guard p < end else { throw Incomplete() }
        guard classes[Int(p.pointee)] == 1 else {
            if p.pointee >= 0x80 {
                let length = XMLScanner.utf8Length(p, end)
                if length == 0 { throw Incomplete() }
                if length < 0 { throw invalidUTF8(p, end) }
            } else {
                throw malformed("expected an \(what) name", at: offset(p))
            }
            return try qualifiedNameSlow(start, end, what: what)
        }
        p += 1
        while p < end {
            let kind = classes[Int(p.pointee)]
            if kind == 1 || kind == 2 {
                p += 1
            } else if kind == 3 {  // :
                guard local == start, p + 1 < end, classes[Int(p[1])] == 1 || p[1] >= 0x80 else {
                    if p + 1 == end { throw Incomplete() }
                    throw malformed("'\(Self.text(start, p + 1))' is not a valid qualified name", at: offset(start))
                }
                p += 1
                local = p
            } else if kind == 4 {
                return try qualifiedNameSlow(start, end, what: what)
            } else {
                break
            }
        }
        guard p < end else { throw Incomplete() }
        guard p - start <= XMLScanner.maximumName else {
            throw malformed("a name longer than \(XMLScanner.maximumName) bytes", at: offset(start))
        }
        return (p, local)
    }

    /// ``qualifiedName(_:_:what:)`` for names with non-ASCII characters (any valid UTF-8 letter).
    private func qualifiedNameSlow(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, what: String) throws
        -> (end: UnsafePointer<UInt8>, local: UnsafePointer<UInt8>)
    {
        let classes = nameClass
        var p = start
        var local = start
        var first = true
        while p < end {
            let kind = classes[Int(p.pointee)]
            if kind == 1 || (kind == 2 && !first) {
                p += 1
            } else if kind == 4 {
                let length = XMLScanner.utf8Length(p, end)
                if length == 0 { throw Incomplete() }
                if length < 0 { throw invalidUTF8(p, end) }
                p += length
            } else if kind == 3, !first, local == start {
                p += 1
                local = p
                first = true
                continue
            } else if first {
                throw malformed("'\(Self.text(start, p + 1))' is not a valid qualified name", at: offset(start))
            } else {
                break
            }
            first = false
        }
        guard p < end else { throw Incomplete() }
        guard p - start <= XMLScanner.maximumName else {
            throw malformed("a name longer than \(XMLScanner.maximumName) bytes", at: offset(start))
        }
        return (p, local)
    }

    /// One attribute at `start` (its name): stores it as attribute `index` and returns its end.
    private func attribute(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, index: Int) throws
        -> UnsafePointer<UInt8>
    {
        let (nameEnd, local) = try qualifiedName(start, end, what: "attribute")
        var p = nameEnd
        while p < end, XMLScanner.isSpace(p.pointee) {
            if p.pointee == 0x0A { newline(p) }
            p += 1
        }
        guard p < end else { throw Incomplete() }
        guard p.pointee == 0x3D else {
            throw malformed("specification mandates value for attribute \(Self.text(start, nameEnd))", at: offset(p))
        }
        p += 1
        while p < end, XMLScanner.isSpace(p.pointee) {
            if p.pointee == 0x0A { newline(p) }
            p += 1
        }
        guard p < end else { throw Incomplete() }
        let quote = p.pointee
        guard quote == 0x22 || quote == 0x27 else {
            throw malformed("attribute value of \(Self.text(start, nameEnd)) must start with \" or '", at: offset(p))
        }
        p += 1
        let valueStart = p
        let classes = valueClass
        var decoding = false
        var decodedStart = 0
        var run = p
        while true {
            guard p < end else { throw Incomplete() }
            let kind = classes[Int(p.pointee)]
            if kind == 0 {
                p += 1
                continue
            }
            if kind == 5 {  // a quote
                if p.pointee == quote { break }
                p += 1
                continue
            }
            if kind == 4 {
                let length = XMLScanner.utf8Length(p, end)
                if length == 0 { throw Incomplete() }
                if length < 0 { throw invalidUTF8(p, end) }
                p += length
                continue
            }
            if kind == 3 { throw controlCharacter(p) }
            if p.pointee == 0x3C {
                throw malformed("unescaped '<' not allowed in attribute values", at: offset(p))
            }
            // A reference or white space to normalise: the value is decoded into `scratch`.
            if !decoding {
                decoding = true
                decodedStart = scratchCount
            }
            append(run, p - run)
            switch p.pointee {
            case 0x26:
                p = try reference(p, end)
                append(UnsafePointer(decoded), decodedCount)
            case 0x0D:
                guard p + 1 < end else { throw Incomplete() }
                if p[1] == 0x0A {
                    p += 1
                    newline(p)
                }
                p += 1
                appendSpace()
            default:  // \t, \n
                if p.pointee == 0x0A { newline(p) }
                p += 1
                appendSpace()
            }
            run = p
        }
        var record = XMLScannedAttribute(
            name: local, nameCount: nameEnd - local, prefixed: local != start, value: valueStart,
            valueCount: p - valueStart,
            isNamespaceDeclaration: XMLScanner.isNamespaceDeclaration(start, nameEnd, local: local))
        if decoding {
            append(run, p - run)
            record.value = nil
            record.valueCount = scratchCount - decodedStart
            scratchOffsets[index] = decodedStart
        }
        // Attribute names are unique within an element (compared as written).
        let fullCount = nameEnd - start
        for other in 0..<index {
            let previous = attributes[other]
            let previousStart = previous.qualifiedStart
            let previousCount = previous.nameCount + (previous.name - previousStart)
            if previousCount == fullCount, XMLScanner.same(previousStart, start, fullCount) {
                throw malformed("attribute \(Self.text(start, nameEnd)) redefined", at: offset(start))
            }
        }
        record.qualifiedStart = start
        attributes[index] = record
        return p + 1
    }

    /// True for `xmlns` and `xmlns:prefix`.
    @inline(__always)
    private static func isNamespaceDeclaration(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, local: UnsafePointer<UInt8>
    ) -> Bool {
        let nameEnd = local == start ? end : local - 1
        guard nameEnd - start == 5 else { return false }
        return start[0] == 0x78 && start[1] == 0x6D && start[2] == 0x6C && start[3] == 0x6E && start[4] == 0x73
    }

    /// Appends bytes to the decoded attribute values.
    private func append(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        guard count > 0 else { return }
        XMLScanner.append(bytes, count, to: &scratch, count: &scratchCount, capacity: &scratchCapacity)
    }

    private func appendSpace() {
        decoded[7] = 0x20
        append(UnsafePointer(decoded + 7), 1)
    }

    // MARK: References

    @exclusivity(unchecked) private var decodedCount = 0

    /// The entity or character reference at `start` (`&amp;`, `&#38;`, `&#x26;`), decoded into
    /// `decoded` (`decodedCount` bytes); returns where it ends.
    private func reference(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        var p = start + 1
        let limit = start + 40
        while p < end, p.pointee != 0x3B {
            if p >= limit || p.pointee == 0x26 || p.pointee == 0x3C || XMLScanner.isSpace(p.pointee) {
                throw malformed("a reference starting '\(Self.text(start, min(p + 1, end)))' does not end with ';'", at: offset(start))
            }
            p += 1
        }
        guard p < end else { throw Incomplete() }
        let body = UnsafeBufferPointer(start: start + 1, count: p - start - 1)
        if body.first == 0x23 {
            var value: UInt32 = 0
            var digits = 0
            var valid = body.count > 1
            let hex = body.count > 1 && body[1] == 0x78
            for byte in body.dropFirst(hex ? 2 : 1) {
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x61...0x66 where hex: digit = UInt32(byte - 0x61 + 10)
                case 0x41...0x46 where hex: digit = UInt32(byte - 0x41 + 10)
                default:
                    valid = false
                    digit = 0
                }
                value = min(value * (hex ? 16 : 10) + digit, 0x11_0000)
                digits += 1
            }
            guard valid, digits > 0, XMLScanner.isCharacter(value), let scalar = Unicode.Scalar(value) else {
                throw malformed(
                    "character reference '\(Self.text(start, p + 1))' is not a character XML allows", at: offset(start))
            }
            decodedCount = 0
            for unit in String(Character(scalar)).utf8 {
                decoded[decodedCount] = unit
                decodedCount += 1
            }
            return p + 1
        }
        let byte: UInt8
        switch (body.count, body.first ?? 0) {
        case (2, 0x6C) where body[1] == 0x74: byte = 0x3C  // lt
        case (2, 0x67) where body[1] == 0x74: byte = 0x3E  // gt
        case (3, 0x61) where body[1] == 0x6D && body[2] == 0x70: byte = 0x26  // amp
        case (4, 0x61) where body[1] == 0x70 && body[2] == 0x6F && body[3] == 0x73: byte = 0x27  // apos
        case (4, 0x71) where body[1] == 0x75 && body[2] == 0x6F && body[3] == 0x74: byte = 0x22  // quot
        default:
            throw malformed(
                "entity '\(Self.text(start + 1, p))' not defined (only &lt; &gt; &amp; &apos; &quot; can be, "
                    + "as a workbook part has no document type)",
                at: offset(start))
        }
        decoded[0] = byte
        decodedCount = 1
        return p + 1
    }

    /// True for a code point XML 1.0 allows in a document.
    private static func isCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x1_0000...0x10_FFFF: return true
        default: return false
        }
    }

    // MARK: Comments, processing instructions, CDATA, DOCTYPE

    /// `<!--`, `<![CDATA[` or `<!DOCTYPE` at `start`.
    private func declarationOrComment(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws
        -> UnsafePointer<UInt8>
    {
        guard end - start >= 4 else { throw Incomplete() }
        if start[2] == 0x2D, start[3] == 0x2D {
            return try comment(start, end)
        }
        guard end - start >= 9 else { throw Incomplete() }
        let keyword = UnsafeBufferPointer(start: start + 2, count: 7)
        if keyword.elementsEqual("[CDATA[".utf8) {
            guard phase == .content else {
                throw malformed("a CDATA section outside the root element", at: offset(start))
            }
            return try cdata(start, end)
        }
        if keyword.elementsEqual("DOCTYPE".utf8) {
            throw DiagnosticError(
                "xlsx-doctype",
                "\(part) has a document type declaration (<!DOCTYPE ...>), which XLSX files never contain; "
                    + "it is refused because it could declare entities, save the workbook again from a spreadsheet program",
                at: location.at(line: line))
        }
        throw malformed("unexpected markup '\(Self.text(start, start + 9))'", at: offset(start))
    }

    /// A comment at `start` (`<!--` ... `-->`), skipped.
    private func comment(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        var p = start + 4
        while true {
            p = try skipCharacters(p, end, until: 0x2D)
            guard p + 2 < end else { throw Incomplete() }
            if p[1] == 0x2D {
                guard p[2] == 0x3E else { throw malformed("double hyphen within comment", at: offset(p)) }
                return try bounded(start, p + 3)
            }
            p += 1
        }
    }

    /// A processing instruction at `start` (`<?target ...?>`), skipped; the XML declaration
    /// anywhere but at the start is an error.
    private func processingInstruction(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws
        -> UnsafePointer<UInt8>
    {
        let (nameEnd, local) = try qualifiedName(start + 2, end, what: "processing instruction")
        guard local == start + 2 else {
            throw malformed("colons are forbidden from PI names '\(Self.text(start + 2, nameEnd))'", at: offset(start))
        }
        if nameEnd - start == 5, (start[2] | 0x20) == 0x78, (start[3] | 0x20) == 0x6D, (start[4] | 0x20) == 0x6C {
            throw malformed("XML declaration allowed only at the start of the document", at: offset(start))
        }
        var p = nameEnd
        guard p.pointee == 0x3F || XMLScanner.isSpace(p.pointee) else {
            throw malformed("malformed processing instruction", at: offset(p))
        }
        while true {
            p = try skipCharacters(p, end, until: 0x3F)
            guard p + 1 < end else { throw Incomplete() }
            if p[1] == 0x3E { return try bounded(start, p + 2) }
            p += 1
        }
    }

    /// A CDATA section at `start`, reported as text (line ends normalised to `\n`).
    private func cdata(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        // Find the end first, so that nothing is reported for a section that is not complete.
        let contentStart = start + 9
        var close = contentStart
        while true {
            close = try skipCharacters(close, end, until: 0x5D)
            guard close + 2 < end else { throw Incomplete() }
            if close[1] == 0x5D, close[2] == 0x3E { break }
            close += 1
        }
        _ = try bounded(start, close + 3)
        var run = contentStart
        var p = contentStart
        while p < close {
            if p.pointee == 0x0D {
                try flush(run, p)
                decoded.pointee = 0x0A
                try handler._withUnsafeGuaranteedRef { try $0.characters(UnsafeBufferPointer(start: decoded, count: 1)) }
                if p + 1 < close, p[1] == 0x0A { p += 1 }
                run = p + 1
            }
            p += 1
        }
        try flush(run, close)
        return close + 3
    }

    /// Checks the characters from `start` (counting lines) up to the first `stop` byte; returns it.
    private func skipCharacters(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, until stop: UInt8) throws
        -> UnsafePointer<UInt8>
    {
        var p = start
        while p < end {
            let byte = p.pointee
            if byte == stop { return p }
            if byte >= 0x80 {
                let length = XMLScanner.utf8Length(p, end)
                if length == 0 { throw Incomplete() }
                if length < 0 { throw invalidUTF8(p, end) }
                p += length
                continue
            }
            if byte < 0x20 {
                if byte == 0x0A {
                    newline(p)
                } else if byte != 0x09, byte != 0x0D {
                    throw controlCharacter(p)
                }
            }
            p += 1
        }
        throw Incomplete()
    }

    /// `end`, after checking that the markup from `start` is not too long.
    private func bounded(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws -> UnsafePointer<UInt8> {
        guard end - start <= XMLScanner.maximumMarkup else {
            throw malformed(
                "markup (a tag, comment or CDATA section) longer than \(XMLScanner.maximumMarkup) bytes",
                at: offset(start))
        }
        return end
    }

    // MARK: Characters

    /// The length of the valid UTF-8 sequence at `p` (a byte >= 0x80), 0 when the buffer ends
    /// inside it, -1 when it is invalid or encodes a character XML does not allow (U+FFFE, U+FFFF).
    @inline(__always)
    static func utf8Length(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int {
        let lead = p.pointee
        let available = end - p
        @inline(__always) func continuation(_ index: Int) -> Bool { p[index] & 0xC0 == 0x80 }
        switch lead {
        case 0xC2...0xDF:
            guard available >= 2 else { return 0 }
            return continuation(1) ? 2 : -1
        case 0xE0...0xEF:
            if available >= 2 {
                let second = p[1]
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
                guard second >= low, second <= high else { return -1 }
            }
            guard available >= 3 else { return 0 }
            guard continuation(2) else { return -1 }
            if lead == 0xEF, p[1] == 0xBF, p[2] >= 0xBE { return -1 }
            return 3
        case 0xF0...0xF4:
            if available >= 2 {
                let second = p[1]
                let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                guard second >= low, second <= high else { return -1 }
            }
            guard available >= 4 else { return 0 }
            return continuation(2) && continuation(3) ? 4 : -1
        default:
            return -1
        }
    }

    /// True when the `count` bytes at `a` and `b` are the same.
    private static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for index in 0..<count where a[index] != b[index] { return false }
        return true
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    // MARK: Errors

    private func invalidUTF8(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> DiagnosticError {
        let lead = "0x" + String(p.pointee, radix: 16, uppercase: true)
        return malformed("invalid UTF-8 sequence starting with byte \(lead); the part must be UTF-8", at: offset(p))
    }

    private func controlCharacter(_ p: UnsafePointer<UInt8>) -> DiagnosticError {
        let code = String(p.pointee, radix: 16, uppercase: true)
        return malformed(
            "control character U+\(String(repeating: "0", count: 4 - code.count))\(code) is not allowed in XML",
            at: offset(p))
    }

    /// An `xlsx-malformed` error at absolute offset `at` on the current line.
    private func malformed(_ message: String, at absolute: Int) -> DiagnosticError {
        let column = max(absolute - lineStart + 1, 1)
        return DiagnosticError(
            "xlsx-malformed",
            "malformed XML: \(message) (\(part), column \(column)); the workbook is damaged, download it again",
            at: location.at(line: line))
    }

    private func name(of frame: Frame) -> String {
        String(decoding: UnsafeBufferPointer(start: names + frame.start, count: frame.count), as: UTF8.self)
    }

    /// Bytes as text for a message.
    private static func text(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(start: start, count: max(end - start, 0)), as: UTF8.self)
    }

    // MARK: Tables

    /// Three tables of 256 byte classes.
    ///
    /// Text: 0 plain, 1 line feed, 2 `<` `&` `\r` `]`, 3 control character, 4 non-ASCII.
    /// Attribute values: 0 plain, 2 `<` `&` `\t` `\n` `\r`, 3 control character, 4 non-ASCII, 5 quote.
    /// Names: 1 may start a name, 2 may continue one, 3 `:`, 4 non-ASCII, 0 ends one.
    nonisolated(unsafe) private static let tables: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 768)
        table.initialize(repeating: 0, count: 768)
        for byte in 0..<256 {
            let text: UInt8
            let value: UInt8
            switch byte {
            case 0x0A: (text, value) = (1, 2)
            case 0x09: (text, value) = (0, 2)
            case 0x0D: (text, value) = (2, 2)
            case 0x3C, 0x26: (text, value) = (2, 2)
            case 0x5D: (text, value) = (2, 0)
            case 0x22, 0x27: (text, value) = (0, 5)
            case 0..<0x20: (text, value) = (3, 3)
            case 0x80...: (text, value) = (4, 4)
            default: (text, value) = (0, 0)
            }
            table[byte] = text
            table[256 + byte] = value
            let name: UInt8
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x5F: name = 1
            case 0x30...0x39, 0x2D, 0x2E: name = 2
            case 0x3A: name = 3
            case 0x80...: name = 4
            default: name = 0
            }
            table[512 + byte] = name
        }
        return UnsafePointer(table)
    }()
}

/// One attribute as the scanner found it: pointers into the document (or into the scanner's
/// buffer of decoded values), valid during the ``XMLPushParser/startElement(_:attributes:)`` call.
struct XMLScannedAttribute {
    /// The local name (after any prefix).
    var name: UnsafePointer<UInt8>
    var nameCount: Int
    /// True when the name has a prefix (`r:id`).
    var prefixed: Bool
    /// The value, entity and character references decoded; nil while being built.
    var value: UnsafePointer<UInt8>?
    var valueCount: Int
    /// `xmlns` or `xmlns:prefix`: not reported as an attribute.
    var isNamespaceDeclaration: Bool
    /// The first byte of the name as written (the prefix, if any).
    var qualifiedStart: UnsafePointer<UInt8>

    init(
        name: UnsafePointer<UInt8>, nameCount: Int, prefixed: Bool, value: UnsafePointer<UInt8>?, valueCount: Int,
        isNamespaceDeclaration: Bool
    ) {
        self.name = name
        self.nameCount = nameCount
        self.prefixed = prefixed
        self.value = value
        self.valueCount = valueCount
        self.isNamespaceDeclaration = isNamespaceDeclaration
        self.qualifiedStart = name
    }
}
