import Foundation
import RVUCore

extension Worklist {
    /// The parts of a worklist's JSON a scaffold reads.
    private struct Document: Decodable {
        struct Item: Decodable {
            let code: String
            let curated: Bool?
        }
        let uncurated: [Item]
        let new: [Item]?
    }

    /// The codes a worklist's JSON (as `render(.json)` writes it) asks editors to write: the
    /// uncurated codes and the new codes not curated, in the file's order. Anything else in the
    /// file is ignored; a file that is not such JSON is an error naming `name`.
    public static func codesToWrite(fromJSON bytes: [UInt8], name: String) throws(DiagnosticError) -> [String] {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            let why =
                switch error {
                case DecodingError.keyNotFound(let key, let context):
                    "no '\(key.stringValue)' at \(path(context))"
                case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
                    "unexpected value at \(path(context))"
                default: "not JSON"
                }
            throw DiagnosticError(
                .worklistJson, "not a worklist: \(why); pass the JSON that `rvuimport curated worklist --format json` writes",
                at: SourceLocation(file: name))
        }
        return document.uncurated.map(\.code) + (document.new ?? []).filter { $0.curated == false }.map(\.code)
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top" : String(path.drop { $0 == "." })
    }
}
