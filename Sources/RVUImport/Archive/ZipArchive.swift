import CLibZ
import Foundation
import RVUCore
import ZIPFoundation

/// A zip archive held in memory: its member list, and each member's bytes inflated and checked.
///
/// ZIPFoundation reads the central directory and inflates (with zlib); the CRC-32 is checked here
/// with zlib's `crc32` (ZIPFoundation's own CRC is slow Swift code on Linux). Member names are only
/// ever labels: nothing is written to a path taken from a member name.
package struct ZipArchive: Sendable {
    /// One member of the archive.
    package struct Entry: Sendable, Hashable {
        package let name: String
        package let compressedSize: Int
        package let uncompressedSize: Int
        package let crc32: UInt32
        package let isDirectory: Bool
        package let isCompressed: Bool
    }

    /// The label of the archive in diagnostics (`RVU24B.zip`).
    package let name: String
    package let entries: [Entry]
    private let data: Data

    /// Reads the archive's directory. Throws `not-a-zip` (with what the bytes look like) when the
    /// bytes are not a zip archive, `truncated-archive` when its directory cannot be read.
    package init(bytes: [UInt8], name: String) throws(DiagnosticError) {
        self.name = name
        let data = Data(bytes)
        self.data = data
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B else {
            throw DiagnosticError(
                "not-a-zip", "the file is not a zip archive: \(ZipArchive.describe(bytes))", at: SourceLocation(file: name))
        }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw DiagnosticError(
                "truncated-archive", "the zip archive is truncated or damaged (its directory cannot be read); download it again",
                at: SourceLocation(file: name))
        }
        entries = archive.map { entry in
            Entry(
                name: entry.path, compressedSize: Int(entry.compressedSize), uncompressedSize: Int(entry.uncompressedSize),
                crc32: entry.checksum, isDirectory: entry.type == .directory, isCompressed: entry.isCompressed)
        }
    }

    /// What non-zip bytes look like, for the error message.
    static func describe(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "it is empty" }
        let head = String(decoding: bytes.prefix(64), as: UTF8.self)
        let printable = head.unicodeScalars.prefix(while: { $0.value >= 0x20 && $0.value < 0x7F || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        let text = String(String.UnicodeScalarView(printable)).trimmingSpaces.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: "")
        let lower = text.lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.contains("<head") {
            return "it starts with '\(text.prefix(30))' (an HTML page saved under a .zip name?)"
        }
        if !text.isEmpty, text.count >= min(8, bytes.count) { return "it starts with '\(text.prefix(30))'" }
        return "it starts with bytes \(bytes.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " "))"
    }

    /// The whole member, inflated and CRC-checked.
    package func contents(of entry: Entry) throws(DiagnosticError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(entry.uncompressedSize)
        try stream(entry) { chunk in output.append(contentsOf: chunk.bindMemory(to: UInt8.self)) }
        return output
    }

    /// Calls `body` with successive inflated chunks of a member, then checks its size and CRC-32.
    /// Inflating stops as soon as more bytes come out than the directory declares.
    package func stream(_ entry: Entry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws(DiagnosticError) {
        let location = SourceLocation(file: "\(name)/\(entry.name)")
        var crc: UInt = CLibZ.crc32(0, nil, 0)
        var produced = 0
        do {
            // A fresh reader per call: members are read from several threads at once.
            let archive = try Archive(data: data, accessMode: .read)
            guard let member = archive[entry.name] else {
                throw DiagnosticError("truncated-archive", "the member is listed but cannot be found", at: location)
            }
            _ = try archive.extract(member, bufferSize: 1 << 16, skipCRC32: true) { chunk in
                produced += chunk.count
                if produced > entry.uncompressedSize {
                    throw DiagnosticError(
                        "size-mismatch",
                        "the member inflates to more than the \(entry.uncompressedSize) bytes its directory entry declares",
                        at: location)
                }
                try chunk.withUnsafeBytes { raw in
                    crc = CLibZ.crc32(crc, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count))
                    try body(raw)
                }
            }
        } catch let error as DiagnosticError {
            throw error
        } catch Archive.ArchiveError.invalidCompressionMethod {
            throw DiagnosticError(
                "unsupported-compression", "the member uses a compression method other than stored or deflate", at: location)
        } catch {
            throw DiagnosticError(
                "corrupt-member", "the member cannot be inflated (\(error)); the archive is damaged: download it again", at: location)
        }
        guard produced == entry.uncompressedSize else {
            throw DiagnosticError(
                "size-mismatch", "the member inflates to \(produced) bytes, not the \(entry.uncompressedSize) its directory entry declares",
                at: location)
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else {
            throw DiagnosticError(
                "crc-mismatch",
                "CRC-32 mismatch (computed \(String(format: "%08x", UInt32(truncatingIfNeeded: crc))), recorded \(String(format: "%08x", entry.crc32))): the archive is damaged; download it again",
                at: location)
        }
    }
}
