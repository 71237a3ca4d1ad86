extension SourceLocation {
    /// `text` with control characters (C0, DEL, C1) and the invisible bidirectional controls
    /// written as `\u{HH}` and a backslash doubled, so that a hostile member or sheet name cannot
    /// move the cursor, recolour the terminal or reorder what a diagnostic shows.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscaping($0) || $0 == "\\" }) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                output += "\\\\"
            } else if needsEscaping(scalar) {
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// True for a scalar that is escaped in printed locations.
    public static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
