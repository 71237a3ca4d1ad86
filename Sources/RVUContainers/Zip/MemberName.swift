import RVUCore

/// Member names are data: they label diagnostics and pick a member's dataset, and nothing is ever
/// written to a path made from one. A name that would be dangerous if something did (a `..`
/// component, an absolute path, control characters, bytes that are not UTF-8) is still refused,
/// because no CMS release has one and it marks an archive built to attack unzip tools.
package enum MemberName {
    /// Throws `unsafe-member-name` at the archive for the first such name in `names`.
    package static func check(_ names: [String], archive: String) throws(DiagnosticError) {
        for name in names {
            guard let problem = problem(with: name) else { continue }
            throw DiagnosticError(
                .unsafeMemberName,
                "the archive has a member named \"\(SourceLocation.escaped(name))\", which \(problem); "
                    + "no CMS release has one, and such names are used to attack unzip tools (nothing is ever "
                    + "written from a member name); the archive is refused, download it again from cms.gov",
                at: SourceLocation(file: archive))
        }
    }

    /// What is wrong with a name, or nil for a plain relative name.
    package static func problem(with name: String) -> String? {
        let components = name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") { return "climbs out of the archive with '..'" }
        if name.hasPrefix("/") || name.hasPrefix("\\") { return "is an absolute path" }
        let scalars = Array(name.unicodeScalars.prefix(3))
        if scalars.count >= 2, scalars[1] == ":", scalars[0].isASCII, scalars[0].properties.isAlphabetic {
            return "starts with a drive letter"
        }
        if name.unicodeScalars.contains(where: { $0 == "\u{FFFD}" }) { return "is not valid UTF-8" }
        if name.unicodeScalars.contains(where: SourceLocation.needsEscaping) { return "contains control characters" }
        return nil
    }
}
