import RVUCore

/// What a dataset expects of one column: how its header label may be written (CMS's wording
/// drifts between years), whether it must be present, how its values are typed, and where it
/// sits in the fixed-width layout.
package struct ColumnSpec: Sendable {
    /// How a cell's text is turned into a value.
    package enum Kind: Sendable, Equatable {
        /// Free text, trimmed.
        case text
        /// A code kept as text; `width` is its published width for codes written with leading
        /// zeros (a number-typed XLSX cell is padded back to it).
        case code(width: Int?)
        /// An exact decimal published with `scale` digits after the point.
        case decimal(scale: Int)
        /// An NA indicator (`NA` or blank) or a mark such as `+`.
        case flag
    }

    /// The name used in messages (the label as CMS prints it, e.g. `WORK RVU`).
    package var name: String
    /// Normalised labels accepted for this column (see ``ColumnSpec/normalize(_:)``).
    package var aliases: [String]
    /// Extra matching rule on the normalised label, for labels that carry a year or a value.
    package var matches: (@Sendable (String) -> Bool)?
    package var kind: Kind
    package var required: Bool
    /// 1-based inclusive positions in the fixed-width layout, nil when the TXT lacks the column.
    package var fixed: ClosedRange<Int>?

    package init(
        _ name: String, aliases: [String] = [], matches: (@Sendable (String) -> Bool)? = nil, kind: Kind,
        required: Bool = true, fixed: ClosedRange<Int>? = nil
    ) {
        self.name = name
        self.aliases = ([name] + aliases).map(ColumnSpec.normalize)
        self.matches = matches
        self.kind = kind
        self.required = required
        self.fixed = fixed
    }

    /// True when a normalised header label names this column.
    package func accepts(_ label: String) -> Bool {
        aliases.contains(label) || (matches?(label) ?? false)
    }

    /// A label reduced to upper-case letters and digits: `NON-FAC PE RVU` -> `NONFACPERVU`.
    /// A leading four-digit year (`2025 PE GPCI`) is dropped.
    package static func normalize(_ label: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in label.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A: scalars.append(scalar)
            case 0x61...0x7A: scalars.append(Unicode.Scalar(scalar.value - 0x20) ?? scalar)
            default: continue
            }
        }
        var text = String(scalars)
        if text.count > 4, text.prefix(2) == "20", text.prefix(4).allSatisfy(\.isNumber) {
            text = String(text.dropFirst(4))
        }
        return text
    }
}
