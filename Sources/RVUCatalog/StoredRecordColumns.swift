import Foundation
import GRDB

/// The columns of one record of a ``SQLiteFileImage``: each column's serial type and where its
/// bytes are, read from the record's header, with SQLite's rules for ordering and equality.
/// One instance is reused from record to record (its storage is allocated once).
final class StoredRecordColumns {
    private var types: UnsafeMutablePointer<Int>
    private var offsets: UnsafeMutablePointer<Int>
    private var capacity = 64
    /// Columns read from the header so far.
    private(set) var count = 0
    /// One past the record's last byte on the leaf page.
    private var localEnd = 0

    init() {
        types = .allocate(capacity: capacity)
        offsets = .allocate(capacity: capacity)
    }

    deinit {
        types.deallocate()
        offsets.deallocate()
    }

    private func grow() {
        let larger = capacity * 2
        let newTypes = UnsafeMutablePointer<Int>.allocate(capacity: larger)
        let newOffsets = UnsafeMutablePointer<Int>.allocate(capacity: larger)
        newTypes.update(from: types, count: count)
        newOffsets.update(from: offsets, count: count)
        types.deallocate()
        offsets.deallocate()
        (types, offsets, capacity) = (newTypes, newOffsets, larger)
    }

    /// Reads the header of `record`, its first `limit` columns only (nil: all, and then the
    /// header must account for every byte of the record); false when it is malformed or runs past
    /// the bytes on the page.
    func parse(_ record: SQLiteFileImage.StoredRecord, in bytes: UnsafeRawBufferPointer, limit: Int? = nil) -> Bool {
        count = 0
        localEnd = record.start + record.localCount
        var offset = record.start
        guard let headerSize = SQLiteFileImage.varint(bytes, at: &offset, end: localEnd), headerSize >= 1,
            headerSize <= Int64(record.payloadCount)
        else { return false }
        let headerEnd = record.start + Int(headerSize)
        guard headerEnd <= localEnd else { return false }
        var body = headerEnd
        let wanted = limit ?? Int.max
        while offset < headerEnd, count < wanted {
            let type: Int
            if bytes[offset] < 0x80 {
                type = Int(bytes[offset])
                offset += 1
            } else {
                guard let long = SQLiteFileImage.varint(bytes, at: &offset, end: headerEnd), long >= 0, long < Int64(Int32.max) else {
                    return false
                }
                type = Int(long)
            }
            guard let length = Self.length(ofType: type) else { return false }
            if count == capacity { grow() }
            types[count] = type
            offsets[count] = body
            count += 1
            body += length
        }
        return limit != nil || (offset == headerEnd && body == record.start + record.payloadCount)
    }

    /// True when column `column` is in the record and its bytes are on the page.
    func isReadable(_ column: Int) -> Bool {
        column < count && offsets[column] + (Self.length(ofType: types[column]) ?? 0) <= localEnd
    }

    /// The byte length of a value of a serial type; nil for the reserved types 10 and 11.
    static func length(ofType type: Int) -> Int? {
        switch type {
        case 0, 8, 9: 0
        case 1, 2, 3, 4: type
        case 5: 6
        case 6, 7: 8
        case 10, 11: nil
        default: (type - 12) / 2
        }
    }

    /// 0 NULL, 1 number, 2 text, 3 blob: SQLite's order of storage classes.
    private static func rank(_ type: Int) -> Int {
        switch type {
        case 0: 0
        case 1...9: 1
        default: type & 1 == 1 ? 2 : 3
        }
    }

    private func integer(_ column: Int, _ bytes: UnsafeRawBufferPointer) -> Int64 {
        let type = types[column]
        if type == 8 { return 0 }
        if type == 9 { return 1 }
        let length = Self.length(ofType: type) ?? 0
        let offset = offsets[column]
        var value = Int64(Int8(bitPattern: bytes[offset]))
        for index in 1..<length { value = value << 8 | Int64(bytes[offset + index]) }
        return value
    }

    private func double(_ column: Int, _ bytes: UnsafeRawBufferPointer) -> Double {
        guard types[column] == 7 else { return Double(integer(column, bytes)) }
        var bits: UInt64 = 0
        for index in 0..<8 { bits = bits << 8 | UInt64(bytes[offsets[column] + index]) }
        return Double(bitPattern: bits)
    }

    private func span(_ column: Int, _ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let length = Self.length(ofType: types[column]) ?? 0
        return UnsafeRawBufferPointer(rebasing: bytes[offsets[column]..<(offsets[column] + length)])
    }

    /// The value of a readable column, as SQLite returns it: an integer stored in a column of REAL
    /// affinity comes back as a REAL.
    func value(_ column: Int, _ bytes: UnsafeRawBufferPointer, realAffinity: Bool) -> DatabaseValue {
        let type = types[column]
        switch Self.rank(type) {
        case 0: return .null
        case 1:
            if type == 7 || realAffinity { return double(column, bytes).databaseValue }
            return integer(column, bytes).databaseValue
        case 2: return String(decoding: span(column, bytes), as: UTF8.self).databaseValue
        default: return Data(span(column, bytes)).databaseValue
        }
    }

    /// True when a readable column holds this text.
    func text(_ column: Int, _ bytes: UnsafeRawBufferPointer, equals expected: [UInt8]) -> Bool {
        guard Self.rank(types[column]) == 2 else { return false }
        return span(column, bytes).elementsEqual(expected)
    }

    /// How column `column` orders against `otherColumn` of `other`, in SQLite's order for keys:
    /// NULL first, numbers by value, then text and blobs by bytes (BINARY collation).
    func order(
        _ column: Int, _ bytes: UnsafeRawBufferPointer, against other: StoredRecordColumns, _ otherColumn: Int,
        _ otherBytes: UnsafeRawBufferPointer
    ) -> Int {
        let (left, right) = (types[column], other.types[otherColumn])
        let (leftRank, rightRank) = (Self.rank(left), Self.rank(right))
        if leftRank != rightRank { return leftRank < rightRank ? -1 : 1 }
        switch leftRank {
        case 0: return 0
        case 1:
            if left != 7, right != 7 {
                let (a, b) = (integer(column, bytes), other.integer(otherColumn, otherBytes))
                return a == b ? 0 : a < b ? -1 : 1
            }
            let (a, b) = (double(column, bytes), other.double(otherColumn, otherBytes))
            return a == b ? 0 : a < b ? -1 : 1
        default:
            let (a, b) = (span(column, bytes), other.span(otherColumn, otherBytes))
            let shared = min(a.count, b.count)
            if shared > 0, let baseA = a.baseAddress, let baseB = b.baseAddress {
                let result = memcmp(baseA, baseB, shared)
                if result != 0 { return result < 0 ? -1 : 1 }
            }
            return a.count == b.count ? 0 : a.count < b.count ? -1 : 1
        }
    }
}
