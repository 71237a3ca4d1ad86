/// A small seeded generator (SplitMix64) so that the synthetic curated corpus is the same on every
/// run. Each entry is seeded from its code, so an entry does not depend on which other codes the
/// release lists.
struct CorpusRandom {
    private var state: UInt64

    /// A generator seeded from `text` (FNV-1a of its bytes) and the corpus seed.
    init(seed: UInt64, text: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        state = hash
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// One element of a non-empty list.
    mutating func pick<T>(_ items: [T]) -> T {
        items[Int(next() % UInt64(items.count))]
    }

    /// `count` distinct elements of a list, in the list's order of drawing.
    mutating func distinct<T: Equatable>(_ count: Int, of items: [T]) -> [T] {
        var chosen: [T] = []
        while chosen.count < min(count, items.count) {
            let item = pick(items)
            if !chosen.contains(item) { chosen.append(item) }
        }
        return chosen
    }

    /// True about once in `n` draws.
    mutating func oneIn(_ n: Int) -> Bool {
        next() % UInt64(n) == 0
    }
}
