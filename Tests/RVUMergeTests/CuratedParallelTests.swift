import RVUCore
import RVUMerge
import Testing

/// The curated files are parsed on every core (`ConcurrentMap`); the result must be what the
/// plain way, one file after the other, gives: the same content and the same diagnostics in the
/// same order.
@Suite struct CuratedParallelTests {
    /// Files of different sizes, a few with errors, a repeated code across files and a category
    /// noted twice, given out of name order.
    static let files: [CuratedContentParser.File] = (0..<40).reversed().map { index in
        let entries = (0..<(index % 7 + 1) * 5).map { offset in
            let code = "\(10_000 + index * 100 + offset)"
            let title = offset == 3 && index % 5 == 0 ? "~" : "Title \(index) \(offset)"
            return """
                  - code: "\(code)"
                    title: \(title)
                    also_known_as: [one, two, one]
                    description: d
                    plain_language: p
                    clinical_context: c
                    specialties: [A]
                """
        }
        let shared = """
              - code: "99213"
                title: Shared
                description: d
                plain_language: p
                clinical_context: c
                specialties: [A]
            """
        let categories = index % 10 == 0 ? "categories:\n  - category: dental\n    billing_notes: b \(index)\n" : ""
        let text = "codes:\n" + entries.joined(separator: "\n") + (index % 13 == 0 ? "\n" + shared : "") + "\n" + categories
        return CuratedContentParser.File(name: "codes/file-\(index).yaml", text: index == 17 ? "codes: [unclosed\n" : text)
    }

    @Test func parsingOnEveryCoreGivesWhatParsingOneFileAfterTheOtherGives() {
        let (sequential, sequentialDiagnostics) = CuratedContentParser.parse(Self.files, limits: CuratedLimits(), concurrently: false)
        let (concurrent, concurrentDiagnostics) = CuratedContentParser.parse(Self.files, limits: CuratedLimits(), concurrently: true)
        #expect(concurrent.entries == sequential.entries)
        #expect(concurrent.categories == sequential.categories)
        #expect(concurrent.revision == sequential.revision)
        #expect(concurrentDiagnostics == sequentialDiagnostics)
        // The inputs exercise what they claim to.
        #expect(sequential.entries.count > 500)
        #expect(sequentialDiagnostics.contains { $0.code == .curatedDuplicate })
        #expect(sequentialDiagnostics.contains { $0.code == .curatedYaml })
        #expect(sequentialDiagnostics.contains { $0.code == .curatedEmpty })
        #expect(sequentialDiagnostics.contains { $0.severity == .warning })
        // The public entry point is the concurrent one.
        #expect(CuratedContentParser.parse(Self.files).1 == sequentialDiagnostics)
    }

    @Test func theMapKeepsTheInputOrderWhateverTheCost() {
        let items = Array(0..<1_000)
        #expect(ConcurrentMap.map(items, cost: { ($0 * 7919) % 1_000 }) { $0 * 3 } == items.map { $0 * 3 })
        #expect(ConcurrentMap.map([5], cost: { $0 }) { $0 + 1 } == [6])
        #expect(ConcurrentMap.map([Int](), cost: { $0 }) { $0 + 1 }.isEmpty)
    }
}
