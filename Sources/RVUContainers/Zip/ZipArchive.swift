import CLibZ
import RVUCore

/// A zip archive held in memory. Member names are only ever used as labels, never as paths to write.
///
/// The end-of-central-directory record and the central directory are read here, once; members
/// are inflated with zlib when asked for and checked against their CRC-32 and declared size.
/// Plain zip only: ZIP64 and archives split over several files are refused with a clear error.
/// Member methods 0 (stored) and 8 (deflate) are supported.
package struct ZipArchive: Sendable {
    /// One member as the central directory describes it.
    package struct Entry: Sendable, Hashable {
        /// The member's name inside the archive (`PPRRVU24_APR.csv`, `xl/workbook.xml`).
        package let name: String
        /// The compression method: 0 stored, 8 deflate; others are refused when read.
        package let method: UInt16
        package let compressedSize: Int
        package let uncompressedSize: Int
        package let crc32: UInt32
        /// True for a folder entry (its name ends with `/`).
        package let isDirectory: Bool
        /// True when the member is encrypted (general-purpose flag bit 0); such members are refused.
        package let isEncrypted: Bool
        /// Where the member's local file header starts in the archive.
        let localHeaderOffset: Int
    }

    /// The archive's label in diagnostics, e.g. `RVU24B.zip`.
    package let name: String
    /// The members in central-directory order, directories included.
    package let entries: [Entry]
    private let bytes: [UInt8]
    /// The size caps and the running total the members are held to (see `ZipArchive+Limits.swift`).
    let scope: ImportScope

    /// Reads the central directory of the archive in `bytes`; `name` labels locations in
    /// diagnostics, e.g. "RVU24B.zip". Members are held to the limits of `scope` and charged to
    /// its total; without one, to the default limits and a total of their own.
    package init(bytes: [UInt8], name: String, scope: ImportScope? = nil) throws(DiagnosticError) {
        self.name = name
        self.bytes = bytes
        self.scope = scope ?? ImportScope(limits: ImportLimits(), sourceName: name)
        try ZipArchive.checkArchiveSize(bytes.count, limits: self.scope.limits, at: SourceLocation(file: name))
        self.entries = try bytes.withUnsafeBytes { raw in
            Result { () throws(DiagnosticError) in try ZipArchive.readCentralDirectory(raw, name: name) }
        }.get()
    }

    /// The member's whole content, inflated and checked against its CRC-32 and declared size.
    package func contents(of entry: Entry) throws(DiagnosticError) -> [UInt8] {
        let location = self.location(of: entry)
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(DiagnosticError) -> [UInt8] in
                let data = try memberData(entry, in: raw)
                var output: [UInt8]
                switch entry.method {
                case 0:
                    output = Array(data)
                case 8:
                    // One allocation of the declared size plus one byte, so that a member that
                    // inflates to more than it declares is caught without writing past the buffer.
                    var outcome = InflateOutcome.finished(total: 0)
                    output = [UInt8](unsafeUninitializedCapacity: entry.uncompressedSize + 1) { buffer, count in
                        outcome = ZipArchive.inflate(
                            data, limit: entry.uncompressedSize, into: UnsafeMutableRawBufferPointer(buffer),
                            drain: { _ in })
                        if case .finished(let total) = outcome { count = total } else { count = 0 }
                    }
                    if case .failed(let failure) = outcome {
                        throw failure.diagnostic(entry: entry, at: location)
                    }
                default:
                    throw ZipArchive.unsupportedMethod(entry, at: location)
                }
                guard output.count == entry.uncompressedSize else {
                    throw InflateFailure.tooShort(actual: output.count).diagnostic(entry: entry, at: location)
                }
                let crc = output.withUnsafeBytes { ZipArchive.crc32(UInt32(0), $0) }
                try ZipArchive.checkCRC(crc, of: entry, at: location)
                return output
            }
        }.get()
    }

    /// Calls `body` with successive inflated chunks of the member (at most `chunkSize` bytes each)
    /// and checks its CRC-32 and size at the end. Stops as soon as the member inflates to more
    /// than it declares. Rethrows what `body` throws; archive problems throw ``DiagnosticError``.
    package func stream(
        _ entry: Entry, chunkSize: Int = 1 << 16, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let location = self.location(of: entry)
        let chunkSize = max(chunkSize, 1)
        try bytes.withUnsafeBytes { raw in
            let data = try memberData(entry, in: raw)
            var crc: UInt32 = 0
            switch entry.method {
            case 0:
                var offset = 0
                while offset < data.count {
                    let chunk = UnsafeRawBufferPointer(rebasing: data[offset..<min(offset + chunkSize, data.count)])
                    crc = ZipArchive.crc32(crc, chunk)
                    try body(chunk)
                    offset += chunk.count
                }
            case 8:
                let buffer = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: min(chunkSize, entry.uncompressedSize + 1), alignment: 16)
                defer { buffer.deallocate() }
                let outcome = try ZipArchive.inflate(data, limit: entry.uncompressedSize, into: buffer) { chunk in
                    crc = ZipArchive.crc32(crc, chunk)
                    try body(chunk)
                }
                switch outcome {
                case .failed(let failure): throw failure.diagnostic(entry: entry, at: location)
                case .finished(let total) where total != entry.uncompressedSize:
                    throw InflateFailure.tooShort(actual: total).diagnostic(entry: entry, at: location)
                case .finished: break
                }
            default:
                throw ZipArchive.unsupportedMethod(entry, at: location)
            }
            try ZipArchive.checkCRC(crc, of: entry, at: location)
        }
    }

    /// The member's label in diagnostics: `RVU24B.zip/PPRRVU24_APR.csv`.
    package func location(of entry: Entry) -> SourceLocation {
        SourceLocation(file: "\(name)/\(entry.name)")
    }
}

// MARK: - Reading the structure

extension ZipArchive {
    private static let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let centralEntrySignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50

    /// Finds the end-of-central-directory record and reads every central-directory entry.
    private static func readCentralDirectory(_ raw: UnsafeRawBufferPointer, name: String) throws(DiagnosticError)
        -> [Entry]
    {
        let archive = SourceLocation(file: name)
        guard let end = findEndOfCentralDirectory(raw) else {
            if raw.count >= 4, raw.littleEndianUInt32(at: 0) == localHeaderSignature {
                throw DiagnosticError(
                    .truncatedArchive,
                    "the archive is cut short: its central directory (the index at the end of a zip) is missing; "
                        + "the download was probably interrupted, download it again",
                    at: archive)
            }
            let start = describeStart(raw)
            if start.hasSuffix(htmlHint) {
                throw DiagnosticError(
                    .notAZip,
                    "this is an HTML page, not a zip archive: \(start.dropLast(htmlHint.count)); the download got a web "
                        + "page (an error or sign-in page) instead of the release, download it again",
                    at: archive)
            }
            throw DiagnosticError(.notAZip, "the file is not a zip archive: \(start)", at: archive)
        }
        let disk = Int(raw.littleEndianUInt16(at: end + 4))
        let directoryDisk = Int(raw.littleEndianUInt16(at: end + 6))
        let entriesOnDisk = Int(raw.littleEndianUInt16(at: end + 8))
        let entryCount = Int(raw.littleEndianUInt16(at: end + 10))
        let directorySize = Int(raw.littleEndianUInt32(at: end + 12))
        let directoryOffset = Int(raw.littleEndianUInt32(at: end + 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
            || (end >= 20 && raw.littleEndianUInt32(at: end - 20) == zip64LocatorSignature)
        {
            throw DiagnosticError(
                .unsupportedArchive,
                "the archive uses the ZIP64 format (for archives over 4 GB or with more than 65535 members), "
                    + "which is not supported; CMS releases are plain zip archives, download the release again",
                at: archive)
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
            throw DiagnosticError(
                .unsupportedArchive,
                "the archive is one part of a split (multi-volume) zip, which is not supported; "
                    + "join the parts into one archive",
                at: archive)
        }
        guard directoryOffset + directorySize <= end else {
            throw DiagnosticError(
                .truncatedArchive,
                "the archive is damaged or cut short: its central directory (\(directorySize) bytes at offset "
                    + "\(directoryOffset)) lies outside the \(raw.count)-byte file; download it again",
                at: archive)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(min(entryCount, directorySize / 46))
        var offset = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for index in 0..<entryCount {
            guard offset + 46 <= directoryEnd, raw.littleEndianUInt32(at: offset) == centralEntrySignature else {
                throw DiagnosticError(
                    .corruptArchive,
                    "the archive's central directory is damaged at member \(index + 1) of \(entryCount); "
                        + "download the archive again",
                    at: archive)
            }
            let flags = raw.littleEndianUInt16(at: offset + 8)
            let method = raw.littleEndianUInt16(at: offset + 10)
            let crc = raw.littleEndianUInt32(at: offset + 16)
            let compressedSize = raw.littleEndianUInt32(at: offset + 20)
            let uncompressedSize = raw.littleEndianUInt32(at: offset + 24)
            let nameLength = Int(raw.littleEndianUInt16(at: offset + 28))
            let extraLength = Int(raw.littleEndianUInt16(at: offset + 30))
            let commentLength = Int(raw.littleEndianUInt16(at: offset + 32))
            let localHeaderOffset = raw.littleEndianUInt32(at: offset + 42)
            let nameStart = offset + 46
            let next = nameStart + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw DiagnosticError(
                    .corruptArchive,
                    "the archive's central directory is damaged at member \(index + 1) of \(entryCount) "
                        + "(its name runs past the directory); download the archive again",
                    at: archive)
            }
            // Names are labels only: decoded as UTF-8 (the flag-11 encoding, and a superset of the
            // ASCII that CMS uses); a byte that is not UTF-8 shows as U+FFFD.
            let memberName = String(decoding: raw[nameStart..<nameStart + nameLength], as: UTF8.self)
            if compressedSize == 0xFFFF_FFFF || uncompressedSize == 0xFFFF_FFFF || localHeaderOffset == 0xFFFF_FFFF {
                throw DiagnosticError(
                    .unsupportedArchive,
                    "the member uses ZIP64 sizes (over 4 GB), which are not supported; "
                        + "CMS releases are plain zip archives, download the release again",
                    at: SourceLocation(file: "\(name)/\(memberName)"))
            }
            entries.append(
                Entry(
                    name: memberName, method: method, compressedSize: Int(compressedSize),
                    uncompressedSize: Int(uncompressedSize), crc32: crc,
                    isDirectory: memberName.hasSuffix("/") || memberName.hasSuffix("\\"),
                    isEncrypted: flags & 1 != 0 || method == 99, localHeaderOffset: Int(localHeaderOffset)))
            offset = next
        }
        return entries
    }

    /// The offset of the end-of-central-directory record: the last signature whose comment
    /// length fits in the file, searched in the final 64 KiB + 22 bytes.
    private static func findEndOfCentralDirectory(_ raw: UnsafeRawBufferPointer) -> Int? {
        guard raw.count >= 22 else { return nil }
        var offset = raw.count - 22
        let lowest = max(0, raw.count - 22 - 0xFFFF)
        while offset >= lowest {
            if raw[offset] == 0x50, raw.littleEndianUInt32(at: offset) == endOfCentralDirectorySignature,
                offset + 22 + Int(raw.littleEndianUInt16(at: offset + 20)) <= raw.count
            {
                return offset
            }
            offset -= 1
        }
        return nil
    }

    /// The member's stored bytes, after checking that it can be read.
    private func memberData(_ entry: Entry, in raw: UnsafeRawBufferPointer) throws(DiagnosticError)
        -> UnsafeRawBufferPointer
    {
        let location = self.location(of: entry)
        if entry.isEncrypted {
            throw DiagnosticError(
                .encryptedMember,
                "the member is encrypted (password-protected) and cannot be read; "
                    + "CMS does not encrypt its releases, download the archive again from cms.gov",
                at: location)
        }
        guard entry.method == 0 || entry.method == 8 else { throw ZipArchive.unsupportedMethod(entry, at: location) }
        let header = entry.localHeaderOffset
        guard header + 30 <= raw.count else {
            throw DiagnosticError(
                .truncatedArchive,
                "the archive is cut short: the member's data (at offset \(header)) lies past its end; "
                    + "download the archive again",
                at: location)
        }
        guard raw.littleEndianUInt32(at: header) == ZipArchive.localHeaderSignature else {
            throw DiagnosticError(
                .corruptArchive,
                "the archive is damaged: the member's local header is missing at offset \(header); "
                    + "download the archive again",
                at: location)
        }
        let start = header + 30 + Int(raw.littleEndianUInt16(at: header + 26)) + Int(raw.littleEndianUInt16(at: header + 28))
        guard start + entry.compressedSize <= raw.count else {
            throw DiagnosticError(
                .truncatedArchive,
                "the archive is cut short: the member's \(entry.compressedSize) compressed bytes run past "
                    + "the end of the file; download the archive again",
                at: location)
        }
        if entry.method == 0, entry.compressedSize != entry.uncompressedSize {
            throw DiagnosticError(
                .sizeMismatch,
                "the member is stored uncompressed but declares \(entry.compressedSize) stored bytes and "
                    + "\(entry.uncompressedSize) content bytes; the archive is damaged, download it again",
                at: location)
        }
        if entry.method == 8, entry.uncompressedSize > entry.compressedSize * 1032 + 4096 {
            // Deflate cannot expand data more than 1032 times; a larger claim is a lie, and
            // believing it would mean allocating that much memory.
            throw DiagnosticError(
                .sizeMismatch,
                "the member declares \(entry.uncompressedSize) bytes, more than its \(entry.compressedSize) "
                    + "compressed bytes can hold; the archive is damaged, download it again",
                at: location)
        }
        try enforceLimits(on: entry, at: location)
        return UnsafeRawBufferPointer(rebasing: raw[start..<start + entry.compressedSize])
    }

    private static func unsupportedMethod(_ entry: Entry, at location: SourceLocation) -> DiagnosticError {
        let known: [UInt16: String] = [
            1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstandard", 95: "xz",
            98: "ppmd",
        ]
        let label = known[entry.method].map { " (\($0))" } ?? ""
        return DiagnosticError(
            .unsupportedCompression,
            "the member uses compression method \(entry.method)\(label); only 0 (stored) and 8 (deflate) "
                + "are supported, re-create the archive with ordinary zip compression",
            at: location)
    }

    private static func checkCRC(_ crc: UInt32, of entry: Entry, at location: SourceLocation) throws(DiagnosticError) {
        guard crc == entry.crc32 else {
            throw DiagnosticError(
                .crcMismatch,
                "the member's content does not match its checksum (CRC-32 \(hex(crc)), the archive says "
                    + "\(hex(entry.crc32))); the archive is damaged, download it again",
                at: location)
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// zlib's CRC-32 of `bytes`, continuing from `crc`.
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return UInt32(
            truncatingIfNeeded: CLibZ.crc32_z(
                uLong(crc), base.assumingMemoryBound(to: Bytef.self), z_size_t(bytes.count)))
    }

    /// The hint ``describeStart(_:)`` ends with for an HTML page.
    private static let htmlHint = " (an HTML page saved under a .zip name?)"

    /// What the start of a file that is not a zip looks like, for the `not-a-zip` message.
    static func describeStart(_ raw: UnsafeRawBufferPointer) -> String {
        guard !raw.isEmpty else { return "it is empty" }
        var bytes = Array(raw.prefix(64))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let lowered = bytes.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A })
            .map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let hint: String
        if lowered.starts(with: Array("<!doctype html".utf8)) || lowered.starts(with: Array("<html".utf8)) {
            hint = htmlHint
        } else if lowered.starts(with: Array("<?xml".utf8)) {
            hint = " (an XML document, perhaps an error page from the download server?)"
        } else if bytes.starts(with: Array("%PDF".utf8)) {
            hint = " (a PDF document?)"
        } else if bytes.starts(with: [0x1F, 0x8B]) {
            hint = " (a gzip file?)"
        } else if bytes.starts(with: Array("Rar!".utf8)) {
            hint = " (a RAR archive?)"
        } else if bytes.starts(with: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
            hint = " (a 7-Zip archive?)"
        } else if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            hint = " (an old-style Office document such as an .xls workbook?)"
        } else {
            hint = ""
        }
        // Up to 30 characters of text, on one line.
        let text = bytes.prefix(while: { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
            .filter { $0 != 0x0D }.map { $0 == 0x0A || $0 == 0x09 ? 0x20 : $0 }.prefix(30)
        if text.count >= 4 || (text.count == bytes.count && !text.isEmpty) {
            return "it starts with '\(String(decoding: text, as: UTF8.self))'\(hint)"
        }
        let shown = bytes.prefix(8).map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        return "it starts with the bytes \(shown.joined(separator: " "))\(hint)"
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian 16-bit value at `offset` (the caller checks the bounds).
    @inline(__always)
    fileprivate func littleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The little-endian 32-bit value at `offset` (the caller checks the bounds).
    @inline(__always)
    fileprivate func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }
}
