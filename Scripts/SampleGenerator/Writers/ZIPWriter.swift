import Foundation
import ZIPFoundation

/// Builds zip archives in memory, deterministically: entries in the order given, deflated, every
/// entry dated 1980-01-01 00:00 (the earliest DOS date) with permissions 0644.
enum ZIPWriter {
    /// Why an archive could not be built.
    enum Failure: Error, CustomStringConvertible {
        case noArchiveData

        var description: String { "the in-memory zip archive returned no data" }
    }

    /// 1980-01-01 00:00:00 UTC. ZIPFoundation converts entry dates with `gmtime`, so the DOS
    /// date and time written do not depend on the machine's time zone.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)

    /// The zip archive holding `members`, in that order.
    static func archive(_ members: [ArchiveMember]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for member in members {
            let data = member.data
            try archive.addEntry(
                with: member.name, type: .file, uncompressedSize: Int64(data.count), modificationDate: entryDate,
                permissions: 0o644, compressionMethod: .deflate,
                provider: { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<(start + size))
                })
        }
        guard let data = archive.data else { throw Failure.noArchiveData }
        return data
    }
}
