import RVUCore

/// A workbook's shared string table (`xl/sharedStrings.xml`), held as one contiguous UTF-8
/// buffer and the end offset of each string: no `String` per item.
///
/// An item's text is its `<t>` text, or the concatenated `<t>` of its rich-text runs
/// (`<si><r><t>..</t></r>...`); phonetic runs (`<rPh>`) are left out; `_xHHHH_` escapes are decoded.
struct XLSXSharedStrings: Sendable {
    /// All strings, one after another.
    private(set) var bytes: [UInt8] = []
    /// `ends[i]` is where string `i` ends in `bytes` (it starts where string `i - 1` ends).
    private(set) var ends: [Int] = []

    /// An empty table, for a workbook without shared strings.
    init() {}

    /// Number of strings.
    var count: Int { ends.count }

    /// Reads the part in `archive`.
    init(archive: ZipArchive, entry: ZipArchive.Entry, location: SourceLocation) throws {
        let parser = Parser(location: location, part: entry.name)
        parser.bytes.reserveCapacity(entry.uncompressedSize / 4)
        try parser.parse { feed in try archive.stream(entry, feed) }
        bytes = parser.bytes
        ends = parser.ends
    }

    /// The strings' bytes and end offsets, for lookups without copying.
    func withBuffers<R>(
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>) throws -> R
    ) rethrows -> R {
        try bytes.withUnsafeBufferPointer { bytes in
            try ends.withUnsafeBufferPointer { ends in try body(bytes, ends) }
        }
    }

    /// The SAX handler that fills the table.
    private final class Parser: XMLPushParser {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        private var inItem = false
        private var phoneticDepth = 0
        private var inText = false
        private var textStart = 0

        override func startElement(_ name: UnsafePointer<UInt8>, attributes: XMLAttributes) throws {
            if name.isName("si") {
                inItem = true
                phoneticDepth = 0
            } else if name.isName("sst") {
                if let text = attributes.value("uniqueCount"), let count = Int(String(decoding: text, as: UTF8.self)) {
                    ends.reserveCapacity(min(count, 1 << 20))
                }
            } else if inItem {
                if name.isName("t") {
                    if phoneticDepth == 0 {
                        inText = true
                        textStart = bytes.count
                    }
                } else if name.isName("rPh") {
                    phoneticDepth += 1
                }
            }
        }

        override func endElement(_ name: UnsafePointer<UInt8>) throws {
            if name.isName("t") {
                if inText {
                    XLSXEscapes.decode(&bytes, from: textStart)
                    inText = false
                }
            } else if name.isName("rPh") {
                phoneticDepth -= 1
            } else if name.isName("si") {
                ends.append(bytes.count)
                inItem = false
            }
        }

        override func characters(_ text: UnsafeBufferPointer<UInt8>) throws {
            if inText { bytes.append(contentsOf: text) }
        }
    }
}
