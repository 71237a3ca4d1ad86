/// The documented values of an indicator column, checked on every row: short values (at most
/// eight bytes, which all indicators are) are compared as packed integers, without hashing.
package struct ValueSet: Sendable, ExpressibleByArrayLiteral {
    /// The values, for messages.
    package let values: Set<String>
    /// Short values packed into integers, sorted.
    private let packed: [UInt64]
    /// True when some value is longer than eight bytes (looked up in `values`).
    private let hasLongValues: Bool

    package init(arrayLiteral elements: String...) { self.init(elements) }

    package init(_ elements: some Sequence<String>) {
        let elements = Array(elements)
        values = Set(elements)
        packed = elements.compactMap(ValueSet.pack).sorted()
        hasLongValues = elements.contains { ValueSet.pack($0) == nil }
    }

    /// True when `value` is one of the documented values.
    @inline(__always)
    package func contains(_ value: String) -> Bool {
        guard let key = ValueSet.pack(value) else { return hasLongValues && values.contains(value) }
        for candidate in packed where candidate >= key { return candidate == key }
        return false
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

    /// The values sorted, blank shown as `blank`, for messages.
    package var listed: String {
        values.sorted().map { $0.isEmpty ? "blank" : $0 }.joined(separator: ", ")
    }
}
