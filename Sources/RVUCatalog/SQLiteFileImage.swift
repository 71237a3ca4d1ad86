import Foundation

/// A SQLite database file mapped into memory and read with just enough of the documented file
/// format (https://www.sqlite.org/fileformat2.html) to walk a rowid table's B-tree in rowid
/// order and decode its records: the diff's fast path, which compares stored records byte for
/// byte instead of stepping SQLite's VM through every column of every row.
///
/// Anything outside what it understands (a WAL-mode file, a text encoding other than UTF-8, a
/// malformed page) throws ``Unsupported``, and the caller falls back to reading through SQLite,
/// which also reports real damage. The mapping must only be read while the caller holds a read
/// transaction on the file, so that no writer changes it meanwhile. Immutable once made: threads
/// may read it at once.
final class SQLiteFileImage: @unchecked Sendable {
    /// Why the fast path cannot read this file or table.
    struct Unsupported: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// One row as stored: its rowid and its record's bytes on the leaf page. A record longer than
    /// a page keeps only a prefix there (`isComplete` false); the rest is on overflow pages, which
    /// are not followed: such a row is read through SQLite.
    struct StoredRecord {
        var rowid: Int64
        /// Offset of the record in the file.
        var start: Int
        /// Bytes of the record on the leaf page.
        var localCount: Int
        /// The record's whole length.
        var payloadCount: Int
        var isComplete: Bool { localCount == payloadCount }
    }

    let bytes: UnsafeRawBufferPointer
    let pageSize: Int
    /// The page size less the bytes each page reserves at its end.
    let usableSize: Int
    let pageCount: Int

    /// Maps the file open as `descriptor` (left open; closed by the owner after its transaction).
    init(descriptor: Int32) throws(Unsupported) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Unsupported(reason: "cannot stat the file") }
        let size = Int(status.st_size)
        guard size >= 512 else { throw Unsupported(reason: "file too short for a database") }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw Unsupported(reason: "cannot map the file")
        }
        let bytes = UnsafeRawBufferPointer(start: address, count: size)
        self.bytes = bytes
        func releaseOnFailure(_ reason: String) -> Unsupported {
            munmap(address, size)
            return Unsupported(reason: reason)
        }
        guard bytes.prefix(16).elementsEqual(Array("SQLite format 3\0".utf8)) else { throw releaseOnFailure("not a SQLite file") }
        // Both versions 1: a rollback-journal file, whose pages are all in the file itself.
        guard bytes[18] == 1, bytes[19] == 1 else { throw releaseOnFailure("not a rollback-journal file (WAL)") }
        let rawPageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw releaseOnFailure("page size \(rawPageSize)")
        }
        guard Self.bigEndian(bytes, at: 56, count: 4) == 1 else { throw releaseOnFailure("text encoding is not UTF-8") }
        self.pageSize = pageSize
        usableSize = pageSize - Int(bytes[20])
        pageCount = size / pageSize
        guard usableSize >= 480 else { throw releaseOnFailure("usable size \(usableSize)") }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }

    /// The records of the rowid table whose B-tree starts at `rootPage`, in rowid order.
    func records(rootPage: Int) throws(Unsupported) -> [StoredRecord] {
        var records: [StoredRecord] = []
        var pending = [rootPage]
        var visited = 0
        // Interior pages push their children right to left, so pages come off in key order.
        while let page = pending.popLast() {
            visited += 1
            guard page >= 1, page <= pageCount, visited <= pageCount else {
                throw Unsupported(reason: "page \(page) out of range")
            }
            let base = (page - 1) * pageSize
            let header = base + (page == 1 ? 100 : 0)
            let type = bytes[header]
            let cellCount = Self.bigEndian(bytes, at: header + 3, count: 2)
            switch type {
            case 0x05:
                let pointers = header + 12
                guard pointers + 2 * cellCount <= base + usableSize else { throw Unsupported(reason: "page \(page) is malformed") }
                pending.append(Self.bigEndian(bytes, at: header + 8, count: 4))
                for cell in stride(from: cellCount - 1, through: 0, by: -1) {
                    let offset = base + Self.bigEndian(bytes, at: pointers + 2 * cell, count: 2)
                    guard offset + 4 <= base + usableSize else { throw Unsupported(reason: "page \(page) is malformed") }
                    pending.append(Self.bigEndian(bytes, at: offset, count: 4))
                }
            case 0x0D:
                let pointers = header + 8
                guard pointers + 2 * cellCount <= base + usableSize else { throw Unsupported(reason: "page \(page) is malformed") }
                for cell in 0..<cellCount {
                    var offset = base + Self.bigEndian(bytes, at: pointers + 2 * cell, count: 2)
                    let end = base + usableSize
                    guard let payload = Self.varint(bytes, at: &offset, end: end),
                        let rowid = Self.varint(bytes, at: &offset, end: end), payload >= 0, payload < Int64(Int32.max)
                    else { throw Unsupported(reason: "page \(page) is malformed") }
                    let payloadCount = Int(payload)
                    let localCount = localPayload(payloadCount)
                    guard offset + localCount <= end else { throw Unsupported(reason: "page \(page) is malformed") }
                    records.append(StoredRecord(rowid: rowid, start: offset, localCount: localCount, payloadCount: payloadCount))
                }
            default:
                throw Unsupported(reason: "page \(page) is not a table page (type \(type))")
            }
        }
        return records
    }

    /// The bytes of a table leaf cell's payload kept on the page (the file format's rule).
    private func localPayload(_ payload: Int) -> Int {
        let most = usableSize - 35
        guard payload > most else { return payload }
        let least = ((usableSize - 12) * 32 / 255) - 23
        let local = least + (payload - least) % (usableSize - 4)
        return local <= most ? local : least
    }

    static func bigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> Int {
        guard offset >= 0, offset + count <= bytes.count else { return -1 }
        var value = 0
        for index in offset..<(offset + count) { value = value << 8 | Int(bytes[index]) }
        return value
    }

    /// A SQLite varint (1 to 9 bytes, big-endian, 7 bits a byte but all 8 in the ninth), or nil
    /// when it runs past `end`.
    @inline(__always)
    static func varint(_ bytes: UnsafeRawBufferPointer, at offset: inout Int, end: Int) -> Int64? {
        var value: UInt64 = 0
        for index in 0..<9 {
            guard offset < end else { return nil }
            let byte = bytes[offset]
            offset += 1
            if index == 8 { return Int64(bitPattern: value << 8 | UInt64(byte)) }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte < 0x80 { return Int64(bitPattern: value) }
        }
        return nil
    }
}
