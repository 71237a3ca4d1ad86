import Foundation
import RVUCore
import Testing

@testable import RVUMerge

/// The scaffold's placeholder `TODO`, left anywhere in an entry, is an error at the word.
@Suite struct CuratedPlaceholderTests {
    static func diagnostics(_ text: String) -> [String] {
        CuratedContentParser.parse([.init(name: "codes.yaml", text: text)]).1.map(\.description)
    }

    static let filled = """
        codes:
          - code: "99213"
            title: Office visit
            also_known_as: [follow-up visit]
            description: A visit.
            plain_language: A visit to the doctor.
            clinical_context: Any setting.
            specialties: [Family Medicine]

        """

    @Test func theFilledEntryPasses() {
        #expect(Self.diagnostics(Self.filled).isEmpty)
    }

    @Test func everyPlaceholderIsAnErrorAtItsPlace() {
        let text = """
            codes:
              - code: "99213"
                title: TODO
                also_known_as: [follow-up visit, TODO]
                description: "TODO"
                plain_language: '  TODO  '
                clinical_context: Any setting.
                specialties:
                  - TODO
                modifier_notes: {"25": TODO}
                billing_notes: TODO

            """
        #expect(
            Self.diagnostics(text) == [
                "codes.yaml:3:12: error: 99213: 'title' is still the placeholder TODO; write the text",
                "codes.yaml:4:38: error: 99213: 'also_known_as' is still the placeholder TODO; write the text",
                "codes.yaml:5:18: error: 99213: 'description' is still the placeholder TODO; write the text",
                "codes.yaml:6:21: error: 99213: 'plain_language' is still the placeholder TODO; write the text",
                "codes.yaml:9:9: error: 99213: 'specialties' is still the placeholder TODO; write the text",
                "codes.yaml:10:28: error: 99213: 'modifier_notes' is still the placeholder TODO; write the text",
                "codes.yaml:11:20: error: 99213: 'billing_notes' is still the placeholder TODO; write the text",
            ])
        // The entry is not used.
        #expect(CuratedContentParser.parse([.init(name: "codes.yaml", text: text)]).0.entries.isEmpty)
    }

    /// Only the whole value is the placeholder: the word inside text, or another case, is text.
    @Test(arguments: ["TODO later", "A TODO list", "todo", "TODOS", "To do"])
    func textThatMentionsItPasses(value: String) {
        let text = Self.filled.replacingOccurrences(of: "title: Office visit", with: "title: \(value)")
        #expect(Self.diagnostics(text).isEmpty, "\(value)")
    }
}
