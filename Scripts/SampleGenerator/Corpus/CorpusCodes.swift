import Foundation
import ZIPFoundation

/// The distinct codes of a release, for the synthetic curated corpus: from a sample release's
/// values, or from the PPRRVU CSV members of any release archive (the HCPCS column found by its
/// label).
enum CorpusCodes {
    /// Why the codes could not be read.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The codes of the sample release `id` (`RVU25D`, `RVU26A`).
    static func ofSample(_ id: String) throws(Failure) -> [String] {
        guard let release = SampleData.releases().first(where: { $0.id == id }) else {
            let known = SampleData.releases().map(\.id).joined(separator: ", ")
            throw Failure(description: "no sample release '\(id)' (known: \(known)); use --archive for another release")
        }
        return Array(Set(release.rvuRows.map(\.hcpcs))).sorted()
    }

    /// The codes of every `PPRRVU*.csv` member of the archive at `path`.
    static func ofArchive(_ path: String) throws -> [String] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var codes: Set<String> = []
        var members = 0
        for entry in archive where entry.type == .file {
            let name = (entry.path as NSString).lastPathComponent.uppercased()
            guard name.hasPrefix("PPRRVU"), name.hasSuffix(".CSV") else { continue }
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            codes.formUnion(try self.codes(inCSV: String(decoding: data, as: UTF8.self), member: entry.path))
            members += 1
        }
        guard members > 0 else { throw Failure(description: "\(path): no PPRRVU .csv member in the archive") }
        return codes.sorted()
    }

    /// The values of the column labelled `HCPCS` (on the header's last line), below that line.
    static func codes(inCSV text: String, member: String) throws(Failure) -> Set<String> {
        var column: Int?
        var codes: Set<String> = []
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let fields = self.fields(of: line)
            guard let index = column else {
                column = fields.firstIndex { $0.trimmingCharacters(in: .whitespaces).uppercased() == "HCPCS" }
                continue
            }
            guard index < fields.count else { continue }
            let code = fields[index].trimmingCharacters(in: .whitespaces)
            // A control character (an end-of-file mark) is not a code.
            if code.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) {
                codes.insert(code)
            }
        }
        guard column != nil else { throw Failure(description: "\(member): no column labelled HCPCS") }
        return codes
    }

    /// The fields of one CSV line (quoted fields may hold commas; `""` is a quote).
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var justClosed = false
        for character in line {
            let closed = justClosed
            justClosed = false
            switch character {
            case "\"" where quoted:
                quoted = false
                justClosed = true
            case "\"" where closed:
                field.append("\"")
                quoted = true
            case "\"" where field.isEmpty:
                quoted = true
            case "," where !quoted:
                fields.append(field)
                field = ""
            default:
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
