import Foundation

/// One named file inside a zip archive: a release member or a part of an XLSX package.
struct ArchiveMember: Sendable {
    /// The entry path inside the archive (`PPRRVU2025_Oct.csv`, `xl/workbook.xml`).
    let name: String
    /// The entry's bytes.
    let data: Data
}
