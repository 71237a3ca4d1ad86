import RVUCore
import RVUImport

/// What the harnesses share: how an input chooses its dataset, and how a member is parsed.
///
/// An input's first byte picks the dataset (its value modulo 5, in ``datasets`` order); the rest
/// is the member's bytes. `Scripts/fuzz.sh` writes the seeds from the Samples in this form.
public enum FuzzSupport {
    /// A member name per dataset, in the order the first byte picks them.
    public static let datasets = ["PPRRVU2026_Jan_nonQPP", "GPCI2026", "26LOCCO", "ANES2026", "OPPSCAP_Jan"]

    /// Parses the input as a member of the format `fileExtension` (`csv`, `txt`, `xlsx`).
    ///
    /// Diagnostics are the expected outcome of bad input; only a crash, a sanitizer report or a
    /// timeout is a finding.
    public static func parseMember(_ data: UnsafePointer<UInt8>?, _ size: Int, fileExtension: String) {
        guard let data, size > 0 else { return }
        let name = datasets[Int(data[0]) % datasets.count] + "." + fileExtension
        let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
        _ = try? ReleaseImporter.parseMember(named: name, bytes: bytes)
    }

    /// Reads the input as a zip archive and inflates every member.
    public static func readArchive(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        guard let data else { return }
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        _ = try? ReleaseImporter.members(ofArchive: bytes, name: "fuzz.zip")
    }
}
