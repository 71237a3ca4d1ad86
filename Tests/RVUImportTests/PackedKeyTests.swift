import RVUCore
import Testing

@testable import RVUImport

/// Duplicate keys found through packed integers must be the ones found through their texts.
@Suite struct PackedKeyTests {
    /// The packed-key table finds exactly the duplicates a dictionary finds, with the same first
    /// rows, through many growths and with keys that differ only in their high half.
    @Test func packedKeyFinderAgreesWithADictionary() {
        var generator = TestGenerator(state: 5)
        var finder = PackedKeyFinder()
        var reference = DuplicateFinder<UInt128>()
        for row in 1...60_000 {
            let low = UInt64.random(in: 0..<20_000, using: &generator)
            let high = UInt64.random(in: 0..<3, using: &generator)
            let key = UInt128(high) << 64 | UInt128(low)
            #expect(finder.previousRow(of: key, row: row) == reference.previousRow(of: key, row: row))
        }
        var small = PackedKeyFinder()
        #expect(small.previousRow(of: UInt64(0), row: 3) == nil)
        #expect(small.previousRow(of: UInt64(0), row: 4) == 3)
        #expect(small.previousRow(of: UInt128(0), row: 5) == 3)
    }

    /// Packing from bytes gives what packing the text byte by byte gave.
    @Test func codeKeysPackAsBefore() {
        func reference(_ code: String, _ modifier: String) -> UInt64? {
            let text = Array((modifier.isEmpty ? code : "\(code)-\(modifier)").utf8)
            guard text.count <= 8, !text.contains(0) else { return nil }
            var packed: UInt64 = 0
            for byte in text { packed = packed << 8 | UInt64(byte) }
            return text.isEmpty ? 0 : packed << (8 * UInt64(8 - text.count))
        }
        var generator = TestGenerator(state: 11)
        let alphabet = ["", "A", "0", "9", "\u{0}", "Z", "-", "\u{e9}"]
        for _ in 0..<20_000 {
            let code = (0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "" }.joined()
            let modifier = (0..<Int.random(in: 0...3, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "" }
                .joined()
            #expect(
                CodeKey.pack(code, modifier: modifier) == reference(code, modifier), "\(code.debugDescription) \(modifier.debugDescription)"
            )
        }
    }
}
