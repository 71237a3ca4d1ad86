import RVUCore

/// What a release member holds, judged from its name: the dataset (by a loose, case-insensitive
/// match such as `PPRRVU2025_Oct`, `GPCI2025_extract`, `25LOCCO`, `ANES2025`, `OPPSCAP_Oct`), the
/// variant (`_QPP` but not `nonQPP` is `qpp`) and the format (by extension).
package struct MemberInfo: Sendable, Hashable, Comparable {
    package let name: String
    package let kind: DatasetKind
    package let variant: Variant
    package let format: FileFormat

    package init(name: String, kind: DatasetKind, variant: Variant, format: FileFormat) {
        self.name = name
        self.kind = kind
        self.variant = variant
        self.format = format
    }

    /// Classifies a member name; nil for members that are not dataset files (the readme PDF,
    /// folders, hidden files, unknown extensions).
    package init?(name: String, kind forcedKind: DatasetKind? = nil) {
        let base = String(name.split(separator: "/").last ?? Substring(name))
        guard !base.hasPrefix("."), !base.hasPrefix("~$"), let dot = base.lastIndex(of: ".") else { return nil }
        let stem = base[..<dot].uppercased()
        let format: FileFormat
        switch base[base.index(after: dot)...].lowercased() {
        case "csv": format = .csv
        case "txt", "prn": format = .txt
        case "xlsx": format = .xlsx
        default: return nil
        }
        guard let kind = forcedKind ?? MemberInfo.kind(ofStem: stem) else { return nil }
        let letters = stem.filter { $0.isLetter }
        let variant: Variant = letters.contains("QPP") && !letters.contains("NONQPP") ? .qpp : .general
        self.init(name: name, kind: kind, variant: variant, format: format)
    }

    /// The dataset a file stem names, if any.
    package static func kind(ofStem stem: String) -> DatasetKind? {
        let upper = stem.uppercased()
        if upper.contains("PPRRVU") { return .pprrvu }
        if upper.contains("GPCI") { return .gpci }
        if upper.contains("LOCCO") || upper.contains("LOCALITY") { return .locco }
        if upper.contains("ANES") { return .anes }
        if upper.contains("OPPSCAP") || upper.contains("OPPS") { return .oppscap }
        return nil
    }

    /// A dataset and variant: the members that hold the same records in different formats.
    package struct Group: Hashable {
        let kind: DatasetKind
        let variant: Variant
    }

    package var group: Group { Group(kind: kind, variant: variant) }

    /// Orders by dataset, variant, format, then name.
    package static func < (lhs: MemberInfo, rhs: MemberInfo) -> Bool {
        (lhs.kind, lhs.variant, lhs.format, lhs.name) < (rhs.kind, rhs.variant, rhs.format, rhs.name)
    }
}
