import GRDB
import RVUCore

/// Computes `catalog_version`: the release id (`RVU26A`) and the first 16 hex digits of SHA-256
/// over a canonical encoding of every data row of the catalog (the release is a row of
/// `catalog_meta`; its revision is not hashed, see ``unhashedMetaKeys``).
///
/// The encoding is fed the same way by the writer (from the values it inserts) and by
/// ``version(of:)`` (from a finished database), so a catalog can be checked against its version.
/// Per table, in dump order: `T`, the table name; per row, `R`, then per column a tag and the
/// value: `0` NULL; `1` an integer; `2` a REAL as an integer count of units at the column's
/// published scale (`1.30` at scale 2 is 130); `3` text as its byte count and UTF-8 bytes. Integers
/// and counts are LEB128 varints (integers zigzag-encoded). The metadata in ``unhashedMetaKeys``, the columns in ``unhashedColumns`` and the derived search
/// index are left out.
struct CatalogHasher {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    /// Published scales of the current table's columns (nil for non-REAL columns).
    private var scales: [Int?] = []
    /// True in `catalog_meta`, whose rows are keyed by their first column.
    private var skipsNonDataKeys = false
    /// The current row's first column, in `catalog_meta`.
    private var metaKey: String?
    /// Where the current row starts in `buffer`, and the column its next value is in.
    private var rowStart = 0
    private var column = 0

    /// Columns of the current table left out of the hash (see ``unhashedColumns``).
    private var skipped: [Bool] = []

    /// Columns that describe how the release was read rather than its data: `release_member.rows`
    /// is a row count only for the members parsed, which depends on `--verify`, so the version
    /// is the same under every verification mode.
    static let unhashedColumns: Set<String> = ["release_member.rows"]

    /// `catalog_meta` keys left out of the hash: those that do not describe the data
    /// (``CatalogDump/nonDataMetaKeys``) and `release_revision`. The revision (`original`, `R`,
    /// `updated 2024-03-18`) is only how the id asked for was spelled: CMS does not write it
    /// inside the files, so one archive imported as `RVU24B` or as `rvu24b-updated-03-18-2024`
    /// holds the same data and gets the same version. What tells two postings apart is hashed:
    /// the archive's `source_sha256`, its `released_on` date and the rows themselves. The
    /// revision stays in the catalog, and in diffs.
    static let unhashedMetaKeys: Set<String> = CatalogDump.nonDataMetaKeys.union(["release_revision"])

    init() {
        buffer.reserveCapacity(Self.chunk + 1 << 12)
    }

    /// The buffer is hashed once it has this many bytes.
    private static let chunk = 1 << 16

    /// Starts a table whose columns have these names.
    mutating func beginTable(_ name: String, columns: [String]) {
        skipsNonDataKeys = name == "catalog_meta"
        let published = Dictionary(
            Schema.scales.filter { $0.table == name }.map { ($0.column, $0.scale) }, uniquingKeysWith: { first, _ in first })
        scales = columns.map { published[$0] }
        skipped = columns.map { Self.unhashedColumns.contains("\(name).\($0)") }
        buffer.append(UInt8(ascii: "T"))
        appendText(name)
    }

    /// Adds one row of the current table.
    mutating func addRow(_ row: [CatalogValue]) {
        beginRow()
        for value in row {
            switch value {
            case .null: appendNull()
            case .integer(let integer): append(integer)
            case .decimal(let decimal): append(decimal)
            case .text(let text): append(text)
            }
        }
        endRow()
    }

    /// Starts a row of the current table; its values follow in column order, then ``endRow()``.
    mutating func beginRow() {
        rowStart = buffer.count
        column = 0
        buffer.append(UInt8(ascii: "R"))
    }

    /// Ends the row. A `catalog_meta` row whose key is in ``unhashedMetaKeys`` is taken back
    /// out of the hash.
    mutating func endRow() {
        if skipsNonDataKeys, let key = metaKey, Self.unhashedMetaKeys.contains(key) {
            buffer.removeSubrange(rowStart...)
        }
        metaKey = nil
        if buffer.count >= Self.chunk { flush() }
    }

    mutating func appendNull() {
        if skips() { return }
        buffer.append(0)
        column += 1
    }

    mutating func append(_ integer: Int64) {
        if skips() { return }
        if let scale = scale(ofColumn: column) {
            buffer.append(2)
            appendSigned(ExactDecimal(units: integer, scale: 0).rounded(toScale: scale).units)
        } else {
            buffer.append(1)
            appendSigned(integer)
        }
        column += 1
    }

    mutating func append(_ decimal: ExactDecimal) {
        if skips() { return }
        buffer.append(2)
        appendSigned(decimal.rounded(toScale: scale(ofColumn: column) ?? decimal.scale).units)
        column += 1
    }

    mutating func append(_ text: String) {
        if skips() { return }
        if column == 0, skipsNonDataKeys { metaKey = text }
        buffer.append(3)
        appendText(text)
        column += 1
    }

    private func scale(ofColumn index: Int) -> Int? { index < scales.count ? scales[index] : nil }

    /// True, having moved past it, when the next value's column is left out of the hash.
    private mutating func skips() -> Bool {
        guard column < skipped.count, skipped[column] else { return false }
        column += 1
        return true
    }

    /// The version string.
    mutating func finalize(releaseID: String) -> String {
        flush()
        let hex = hasher.finalize().prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return "\(releaseID)-\(hex)"
    }

    private mutating func flush() {
        hasher.update(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            appendUnsigned(UInt64(bytes.count))
            buffer.append(contentsOf: bytes)
        }
    }

    private mutating func appendSigned(_ value: Int64) {
        appendUnsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func appendUnsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    /// The version of a finished catalog, recomputed from its rows (it equals the stored
    /// `catalog_version` unless the file was changed after writing).
    static func version(of db: Database) throws -> String {
        let releaseID = try String.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'release_id'") ?? ""
        var hasher = CatalogHasher()
        var row: [CatalogValue] = []
        for table in CatalogDump.tables {
            let statement = try db.makeStatement(sql: "SELECT * FROM \(table.name) ORDER BY \(table.orderBy)")
            hasher.beginTable(table.name, columns: statement.columnNames)
            let scales = hasher.scales
            let rows = try Row.fetchCursor(statement)
            while let databaseRow = try rows.next() {
                row.removeAll(keepingCapacity: true)
                for index in 0..<databaseRow.count {
                    let value = try databaseRow.decode(DatabaseValue.self, atIndex: index)
                    switch value.storage {
                    case .null: row.append(.null)
                    case .int64(let integer): row.append(.integer(integer))
                    case .double(let double):
                        // Every REAL column has a published scale; a value out of exact range
                        // is hashed as its text rather than as a wrong number.
                        if let decimal = CatalogDump.decimal(stored: double, scale: scales[index] ?? 6) {
                            row.append(.decimal(decimal))
                        } else {
                            row.append(.text(String(double)))
                        }
                    case .string(let text): row.append(.text(text))
                    case .blob(let data): row.append(.text("<\(data.count) bytes>"))
                    }
                }
                hasher.addRow(row)
            }
        }
        return hasher.finalize(releaseID: releaseID)
    }
}
