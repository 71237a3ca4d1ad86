import RVUCore

/// The sample releases, defined once as Swift values. RVU25D is written out in full; RVU26A is
/// RVU25D with the hand-chosen changes listed in Samples/README.md (a diff test relies on them).
enum SampleData {
    /// Every sample release, in the order they are written.
    static func releases() -> [SampleRelease] {
        [rvu25D(), rvu26A()]
    }

    /// A decimal from its published text. The sample data is written by hand, so a malformed
    /// literal is a bug here, not an input error.
    static func d(_ text: String) -> ExactDecimal {
        guard let value = ExactDecimal(text) else { preconditionFailure("not a decimal literal: \(text)") }
        return value
    }

    /// A row for a code CMS lists without RVUs (statuses B, C, E, I, J, M, X...): zeros, indicators
    /// `9` unless given.
    static func unpriced(
        _ hcpcs: String, modifier: String = "", _ description: String, status: String, pctc: String = "9",
        surgery: String = "99999", supervision: String = "09", imagingFamily: String = "99",
        facilityNA: Bool = false
    ) -> RVURow {
        RVURow(
            hcpcs: hcpcs, modifier: modifier, description: description, status: status, facilityNA: facilityNA,
            pctc: pctc, surgery: surgery, supervision: supervision, imagingFamily: imagingFamily)
    }
}
