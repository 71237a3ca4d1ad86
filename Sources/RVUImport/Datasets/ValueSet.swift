/// The documented values of an indicator column, checked on every row: short values (at most
/// seven bytes, which all indicators are) are compared as packed integers, without hashing, and
/// a cell holding one of them is given the set's own copy of the string, so that the common
/// indicators are not turned into a new string on every row.
package struct ValueSet: Sendable, ExpressibleByArrayLiteral {
    /// The values, for messages.
    package let values: Set<String>
    /// Short values packed into integers, sorted.
    private let packed: [UInt64]
    /// The value of each packed integer, in the same order.
    private let strings: [String]
    /// True when some value is longer than seven bytes (looked up in `values`).
    private let hasLongValues: Bool
    /// For each byte, the position in `strings` of the one-byte value it is, or -1; at 256, the
    /// position of the blank value, or -1. Most indicators are one byte or blank.
    private let shortIndex: [Int16]

    package init(arrayLiteral elements: String...) { self.init(elements) }

    package init(_ elements: some Sequence<String>) {
        let elements = Array(elements)
        values = Set(elements)
        let short = Set(elements).compactMap { value in ValueSet.pack(value).map { (key: $0, value: value) } }
            .sorted { $0.key < $1.key }
        packed = short.map(\.key)
        strings = short.map(\.value)
        hasLongValues = elements.contains { ValueSet.pack($0) == nil }
        var shortIndex = [Int16](repeating: -1, count: 257)
        for (position, value) in short.map(\.value).enumerated() {
            let bytes = Array(value.utf8)
            if bytes.isEmpty { shortIndex[256] = Int16(position) }
            if bytes.count == 1 { shortIndex[Int(bytes[0])] = Int16(position) }
        }
        self.shortIndex = shortIndex
    }

    /// True when `value` is one of the documented values.
    @inline(__always)
    package func contains(_ value: String) -> Bool {
        guard let key = ValueSet.pack(value) else { return hasLongValues && values.contains(value) }
        return index(of: key) != nil
    }

    /// The documented value whose bytes are `bytes`, or nil when there is none.
    @inline(__always)
    package func value(of bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.count <= 1 {
            let position = Int(shortIndex[bytes.count == 0 ? 256 : Int(bytes[0])])
            return position >= 0 ? strings[position] : nil
        }
        guard let key = ValueSet.pack(bytes) else {
            guard hasLongValues else { return nil }
            let text = String(decoding: bytes, as: UTF8.self)
            return values.contains(text) ? text : nil
        }
        return index(of: key).map { strings[$0] }
    }

    /// The position of a packed value in `packed`.
    @inline(__always)
    private func index(of key: UInt64) -> Int? {
        for index in packed.indices where packed[index] >= key { return packed[index] == key ? index : nil }
        return nil
    }

    /// The value's bytes in an integer, with its length in the top byte (nil beyond 7 bytes).
    @inline(__always)
    private static func pack(_ value: String) -> UInt64? {
        var result: UInt64 = 0
        var count: UInt64 = 0
        for byte in value.utf8 {
            guard count < 7 else { return nil }
            result |= UInt64(byte) << (8 * count)
            count += 1
        }
        return result | count << 56
    }

    /// ``pack(_:)`` for bytes.
    @inline(__always)
    private static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count < 8 else { return nil }
        var result = UInt64(bytes.count) << 56
        for index in 0..<bytes.count { result |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        return result
    }

    /// The values sorted, blank shown as `blank`, for messages.
    package var listed: String {
        values.sorted().map { $0.isEmpty ? "blank" : $0 }.joined(separator: ", ")
    }
}
