import Crypto

/// SHA-256, for the checksums of archives, members, curated content and catalogs: swift-crypto's
/// (BoringSSL's, which uses the CPU's SHA extensions where present) behind the few calls the
/// stages make.
public struct SHA256: Sendable {
    private var hasher = Crypto.SHA256()

    public init() {}

    /// Adds bytes to the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(data: bytes) }

    /// Adds bytes to the hash.
    public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

    /// Finishes and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] { Array(hasher.finalize()) }

    /// The lower-case hex digest of `bytes`.
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        Crypto.SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The lower-case hex digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { hex($0) } }
}
