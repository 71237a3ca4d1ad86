/// ``DuplicateFinder`` for keys packed into integers (see ``CodeKey``), without `Hasher`.
///
/// A `Dictionary` seeds and runs SipHash for every lookup, and finding a new key takes a lookup
/// and an insertion: two hashes a row, on every row of the largest members. This open-addressing
/// table mixes the key with a few multiplications instead and inserts where its lookup stopped.
/// The mix starts from a random seed, so that a crafted file cannot know which keys collide
/// (the reason `Hasher` is seeded); the answers do not depend on the seed.
package struct PackedKeyFinder {
    /// The keys, by slot; a slot is in use when its row is not ``empty``.
    private var keys: [UInt128] = []
    /// The row where each slot's key was first seen, or ``empty``.
    private var rows: [Int] = []
    /// Keys held.
    private var count = 0
    /// 64 minus log2 of the slot count: the mix's top bits pick the slot.
    private var shift: UInt64 = 64
    private let seed: UInt64

    /// Marks a free slot (row numbers are never this low).
    private static let empty = Int.min

    package init() {
        seed = UInt64.random(in: .min ... .max)
    }

    /// Returns the row where `key` was first seen, or nil (and remembers `row`) when it is new.
    @inline(__always)
    package mutating func previousRow(of key: UInt64, row: Int) -> Int? {
        previousRow(of: UInt128(key), row: row)
    }

    /// Returns the row where `key` was first seen, or nil (and remembers `row`) when it is new.
    package mutating func previousRow(of key: UInt128, row: Int) -> Int? {
        if (count + 1) * 2 > rows.count { grow() }
        let mask = rows.count - 1
        var slot = slot(of: key)
        while rows[slot] != PackedKeyFinder.empty {
            if keys[slot] == key { return rows[slot] }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        rows[slot] = row
        count += 1
        return nil
    }

    /// The first slot to probe for `key`.
    @inline(__always)
    private func slot(of key: UInt128) -> Int {
        let low = UInt64(truncatingIfNeeded: key)
        let high = UInt64(truncatingIfNeeded: key >> 64)
        var mixed = (low ^ seed) &* 0x9E37_79B9_7F4A_7C15
        mixed ^= (high &+ seed) &* 0xC2B2_AE3D_27D4_EB4F
        mixed ^= mixed >> 31
        mixed &*= 0xFF51_AFD7_ED55_8CCD
        // A shift by 64 (no slots yet) is never taken: `grow` runs first.
        return Int(truncatingIfNeeded: mixed >> shift)
    }

    /// Doubles the table (or makes the first one) and re-inserts the keys.
    private mutating func grow() {
        let oldKeys = keys
        let oldRows = rows
        let capacity = max(oldRows.count * 2, 1024)
        keys = [UInt128](repeating: 0, count: capacity)
        rows = [Int](repeating: PackedKeyFinder.empty, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        let mask = capacity - 1
        for index in oldRows.indices where oldRows[index] != PackedKeyFinder.empty {
            var slot = slot(of: oldKeys[index])
            while rows[slot] != PackedKeyFinder.empty { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[index]
            rows[slot] = oldRows[index]
        }
    }
}
