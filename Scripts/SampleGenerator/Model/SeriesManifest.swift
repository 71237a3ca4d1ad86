/// `series.json`, written beside the archives of `rvusamples --series`: what each release changed
/// from the one before it, for tests and benchmarks to find their cases. Row keys are `CODE` or
/// `CODE-MOD`; lists are sorted.
struct SeriesManifest: Encodable {
    /// One release of the series, in the order they take effect (a correction right after the
    /// release it corrects).
    struct Release: Encodable {
        /// `RVU24A`, `RVU24AR`; the archive is `ID.zip`.
        var id: String
        /// The release a correction corrects; nil for the quarterly ones.
        var correctionOf: String?
        /// Codes gone since the previous release.
        var deleted: [String] = []
        /// Codes new since the previous release, re-added ones included.
        var added: [String] = []
        /// Codes among `added` that an earlier release of the series had deleted.
        var readded: [String] = []
        /// TC and 26 rows new for a code that had only its global row before.
        var modifierRowsAdded: [String] = []
        /// Rows whose work or PE RVUs changed (codes added in this release excluded).
        var changed: [String] = []
        /// Number of codes and of PPRRVU rows in the release.
        var codes = 0
        var rows = 0

        init(id: String, correctionOf: String?) {
            self.id = id
            self.correctionOf = correctionOf
        }

        mutating func record(_ state: SeriesState) {
            codes = state.rows.count
            rows = state.rows.values.reduce(0) { $0 + $1.count }
        }

        enum CodingKeys: String, CodingKey {
            case id, deleted, added, readded, changed, codes, rows
            case correctionOf = "correction_of"
            case modifierRowsAdded = "modifier_rows_added"
        }
    }

    /// The `codes` the first release was drawn with.
    var codesInFirstRelease: Int
    var releases: [Release]

    enum CodingKeys: String, CodingKey {
        case codesInFirstRelease = "codes_in_first_release"
        case releases
    }
}
