import CLibZ
import RVUCore

extension ZipArchive {
    /// Why inflating a member failed; turned into a diagnostic by ``diagnostic(entry:at:)``.
    enum InflateFailure {
        /// zlib rejected the data (its message, when it gave one).
        case corrupt(String?)
        /// The compressed bytes ended before the deflate stream did.
        case truncated
        /// The member inflated to more than it declares.
        case tooLong
        /// The member inflated to fewer bytes than it declares.
        case tooShort(actual: Int)
        /// zlib could not start (out of memory or a mismatched library).
        case zlibUnavailable(Int32)

        func diagnostic(entry: Entry, at location: SourceLocation) -> DiagnosticError {
            switch self {
            case .corrupt(let message):
                let detail = message.map { " (zlib: \($0))" } ?? ""
                return DiagnosticError(
                    .corruptMember,
                    "the member's compressed data is damaged\(detail); download the archive again", at: location)
            case .truncated:
                return DiagnosticError(
                    .corruptMember,
                    "the member's compressed data ends before its deflate stream does; download the archive again",
                    at: location)
            case .tooLong:
                return DiagnosticError(
                    .sizeMismatch,
                    "the member inflates to more than the \(entry.uncompressedSize) bytes the archive declares; "
                        + "the archive is damaged, download it again",
                    at: location)
            case .tooShort(let actual):
                return DiagnosticError(
                    .sizeMismatch,
                    "the member inflates to \(actual) bytes but the archive declares \(entry.uncompressedSize); "
                        + "the archive is damaged, download it again",
                    at: location)
            case .zlibUnavailable(let status):
                return DiagnosticError(
                    .corruptMember, "zlib could not start inflating the member (status \(status))", at: location)
            }
        }
    }

    /// How an inflate run ended (errors thrown by the caller's `drain` are thrown instead).
    enum InflateOutcome {
        case finished(total: Int)
        case failed(InflateFailure)
    }

    /// Inflates the raw deflate stream in `input` (no zlib or gzip wrapper, as in zip members).
    ///
    /// Output is written to `buffer`; each time it fills, `drain` is called with it and the buffer
    /// is reused, and `drain` gets the last, partly filled buffer at the end. Inflating stops with
    /// ``InflateFailure/tooLong`` as soon as more than `limit` bytes came out, so a member whose
    /// header lies about its size cannot make this inflate without bound. To inflate into one
    /// buffer, pass a buffer of `limit + 1` bytes: it never fills up unless the data is too long.
    static func inflate<E: Error>(
        _ input: UnsafeRawBufferPointer, limit: Int, into buffer: UnsafeMutableRawBufferPointer,
        drain: (UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) -> InflateOutcome {
        guard let outputBase = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self), buffer.count > 0 else {
            return .failed(.zlibUnavailable(Z_BUF_ERROR))
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // zlib keeps a pointer back to the z_stream, so it must stay at one address.
        let status = inflateInit2_(stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer {
            if status == Z_OK { inflateEnd(stream) }
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard status == Z_OK else { return .failed(.zlibUnavailable(status)) }

        // zlib counts in 32-bit units: feed the input and offer the output in pieces.
        let piece = 1 << 30
        var inputOffset = 0
        var total = 0  // bytes drained so far
        var filled = 0  // bytes in `buffer` not yet drained
        let inputBase = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
        while true {
            if stream.pointee.avail_in == 0, inputOffset < input.count, let inputBase {
                let count = min(piece, input.count - inputOffset)
                stream.pointee.next_in = inputBase + inputOffset
                stream.pointee.avail_in = uInt(count)
                inputOffset += count
            }
            if filled == buffer.count {
                try drain(UnsafeRawBufferPointer(buffer))
                total += filled
                filled = 0
            }
            let room = min(piece, buffer.count - filled)
            stream.pointee.next_out = outputBase + filled
            stream.pointee.avail_out = uInt(room)
            let result = CLibZ.inflate(stream, Z_NO_FLUSH)
            filled += room - Int(stream.pointee.avail_out)
            if total + filled > limit { return .failed(.tooLong) }
            switch result {
            case Z_STREAM_END:
                if filled > 0 {
                    try drain(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
                    total += filled
                }
                return .finished(total: total)
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress: either the output buffer is full (drained on the next turn) or
                // the input has run out before the end of the stream.
                if stream.pointee.avail_in == 0, inputOffset >= input.count, filled < buffer.count {
                    return .failed(.truncated)
                }
            case Z_NEED_DICT:
                return .failed(.corrupt("a preset dictionary is required"))
            default:
                let message = stream.pointee.msg.map { String(cString: $0) }
                return .failed(.corrupt(message))
            }
        }
    }
}
