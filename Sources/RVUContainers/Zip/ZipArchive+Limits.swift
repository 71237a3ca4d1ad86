import RVUCore

/// The size caps of ``ImportLimits`` as the zip reader applies them, to release archives and to
/// the zip inside each XLSX member alike.
///
/// A member is checked before it is inflated: its declared size against the per-member cap and
/// the compression-ratio cap, and the release's running total is charged with it. Inflating then
/// never produces more than the declared size (``ZipArchive/inflate(_:limit:into:drain:)`` stops
/// one byte past it with `size-mismatch`), so the bytes actually inflated stay within every cap
/// whatever the archive claims.
extension ZipArchive {
    /// Refuses an archive larger than ``ImportLimits/maximumArchiveBytes``.
    static func checkArchiveSize(_ count: Int, limits: ImportLimits, at location: SourceLocation) throws(DiagnosticError) {
        guard count > limits.maximumArchiveBytes else { return }
        throw DiagnosticError(
            .archiveTooLarge,
            "the archive is \(count) bytes, more than the limit of \(ImportLimits.describe(bytes: limits.maximumArchiveBytes)); "
                + "if the release is genuine, raise --max-archive-mib",
            at: location)
    }

    /// Checks a member's declared size against the caps and reserves it in the running total.
    func enforceLimits(on entry: Entry, at location: SourceLocation) throws(DiagnosticError) {
        let limits = scope.limits
        guard entry.uncompressedSize <= limits.maximumMemberBytes else {
            throw DiagnosticError(
                .memberTooLarge,
                "the member declares \(entry.uncompressedSize) uncompressed bytes, more than the limit of "
                    + "\(ImportLimits.describe(bytes: limits.maximumMemberBytes)) per member; a zip bomb? "
                    + "if the release is genuine, raise --max-member-mib",
                at: location)
        }
        guard entry.uncompressedSize <= limits.ratioBound(compressedSize: entry.compressedSize) else {
            throw DiagnosticError(
                .compressionRatio,
                "the member declares \(entry.uncompressedSize) uncompressed bytes from \(entry.compressedSize) compressed "
                    + "(\(entry.uncompressedSize / max(entry.compressedSize, 1)):1), more than the limit of "
                    + "\(limits.maximumCompressionRatio):1; a zip bomb? if the release is genuine, "
                    + "raise --max-compression-ratio",
                at: location)
        }
        try scope.reserve(entry.uncompressedSize, at: location)
    }
}
