import Foundation
import RVUCore
import Testing

/// Diagnostic codes are a closed list: each is documented, spelled in kebab case, and read back
/// from JSON as itself.
@Suite struct DiagnosticCodeTests {
    /// The text of every page of docs/ and the README.
    static let documentation: Result<String, Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let docs = root.appendingPathComponent("docs")
        var text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: docs.path).sorted() where name.hasSuffix(".md") {
            text += try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
        }
        return text
    }

    @Test func everyCodeIsDocumented() throws {
        let text = try Self.documentation.get()
        let missing = DiagnosticCode.allCases.filter { !text.contains("`\($0.rawValue)`") }
        #expect(missing.isEmpty, "not in docs/: \(missing.map(\.rawValue))")
    }

    @Test func everyCodeIsLowercaseWordsJoinedByHyphens() {
        for code in DiagnosticCode.allCases {
            let words = code.rawValue.split(separator: "-", omittingEmptySubsequences: false)
            #expect(
                words.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } },
                "\(code.rawValue)")
        }
        #expect(Set(DiagnosticCode.allCases.map(\.rawValue)).count == DiagnosticCode.allCases.count)
    }

    @Test func aDiagnosticRoundTripsThroughJSONWithItsCodeAsText() throws {
        let diagnostic = Diagnostic.error(.duplicateKey, "99213 twice", at: SourceLocation(file: "PPRRVU.csv", line: 7))
        let data = try JSONEncoder().encode(diagnostic)
        #expect(String(decoding: data, as: UTF8.self).contains(#""code":"duplicate-key""#))
        #expect(try JSONDecoder().decode(Diagnostic.self, from: data) == diagnostic)
        #expect(diagnostic.json.rendered().contains(#""duplicate-key""#))
        // An unknown code in JSON is refused, not read as some other code.
        let edited = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "duplicate-key", with: "duplicate-kee")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Diagnostic.self, from: Data(edited.utf8)) }
    }
}
