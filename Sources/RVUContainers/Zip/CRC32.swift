import CLibZ

/// zlib's CRC-32, the checksum zip members carry.
public enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `previous` (0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return previous }
        return UInt32(truncatingIfNeeded: crc32(UInt(previous), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}
