import Foundation
import GRDB
import RVUCatalog
import RVUCore
import RVUTestSupport
import Testing

@testable import RVUDiff

/// The CI gate cannot pass by mistake: filter values are checked, filters say what they left
/// out, payments of rows that appear or vanish count, and lists are compared as lists.
@Suite struct DiffGateContractTests {
    /// A copy of a sample catalog edited with `sql`, removed by the caller.
    static func edited(_ path: String, _ sql: String) throws -> String {
        let copy = "\(SampleCatalogs.folder)/edited-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try CatalogEditor.execute(copy, sql: sql)
        return copy
    }

    // MARK: Filter values

    @Test func aNameThatIsNotAFieldIsAProblemListingTheFields() {
        let problems = CatalogDiff.Filter(fields: ["work_rvus", "status"]).problems
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("'work_rvus' is not a field; the fields are: ") == true)
        for field in ["work_rvu", "nonfacility_amount", "facility_amount", "title", "synonyms", "modifier_notes", "pe_gpci", "released_on"]
        {
            #expect(problems.first?.contains(field) == true, "\(field) is listed")
            #expect(CatalogDiff.Filter(fields: [field]).problems.isEmpty, "\(field) is a field")
        }
        #expect(CatalogDiff.Filter(fields: ["notice_3"]).problems.isEmpty)
        #expect(CatalogDiff.Filter(fields: ["notice_"]).problems.count == 1)
        #expect(CatalogDiff.Filter(fields: ["hcpcs"]).problems.count == 1, "a key is not a field: it never changes")
    }

    /// Every field a real diff reports, and every metadata key of the sample catalogs, is a field.
    @Test func everyFieldOfTheSamplesIsAccepted() throws {
        let diff = try SampleCatalogs.diff()
        var reported = Set(diff.metadata.map(\.field))
        reported.formUnion(diff.rvuChanged.flatMap { $0.changes.map(\.field) })
        reported.formUnion(diff.localitiesChanged.flatMap { $0.changes.map(\.field) })
        reported.formUnion(diff.otherChanges.flatMap { $0.changes.map(\.field) })
        reported.formUnion(diff.payments.map { "\($0.setting)_amount" })
        let (old, new) = try SampleCatalogs.built.get()
        for path in [old, new] {
            let keys = try CatalogReader(path: path).read { db in try String.fetchAll(db, sql: "SELECT key FROM catalog_meta") }
            reported.formUnion(keys.filter { !CatalogDump.nonDataMetaKeys.contains($0) })
        }
        #expect(reported.count > 20)
        #expect(reported.filter { !CatalogDiff.Filter.isField($0) }.sorted() == [])
    }

    @Test(arguments: [
        ("99*", true), ("D0???", true), ("*", true), ("99213", true), ("g01*5", true), ("992130", false), ("99.13", false),
        ("", false), ("9921", false), ("??????*", false), ("99 13", false),
    ])
    func codePatternsThatCannotMatchACodeAreProblems(pattern: String, valid: Bool) {
        let problems = CatalogDiff.Filter(codePattern: pattern).problems
        #expect(problems.isEmpty == valid)
        if !valid {
            #expect(
                problems == [
                    "--code '\(pattern)' cannot match a HCPCS code (five letters or digits); use * for any run and ? for one character, e.g. '99*', 'D0???'"
                ])
        }
    }

    @Test func aVariantThatIsNotOneIsAProblem() {
        #expect(CatalogDiff.Filter(variant: "QPP").problems == ["'QPP' is not a variant; the variants are: general, qpp"])
        #expect(CatalogDiff.Filter(variant: "qpp").problems.isEmpty)
    }

    @Test func gateRulesThatCannotJudgeAreRefused() {
        for text in ["payment-change:inf", "payment-change:nan", "payment-change:1e999", "payment-change:-1", "payment-change:", "Any"] {
            #expect(DiffGateRule(text) == nil, "\(text)")
        }
        #expect(DiffGateRule("payment-change:0") == .paymentChange(percent: 0))
    }

    // MARK: Variant and other filters

    /// A locality change is not hidden by `--variant`: `any` fails on it (it passed before).
    @Test func theVariantKeepsEveryOtherSection() throws {
        let (_, new) = try SampleCatalogs.built.get()
        let edited = try Self.edited(new, "UPDATE locality SET pe_gpci = 0.999 WHERE mac = '10112' AND locality = '00'")
        defer { try? FileManager.default.removeItem(atPath: edited) }
        let diff = try CatalogDiff.compare(CatalogReader(path: new), CatalogReader(path: edited))
        #expect(diff.localitiesChanged.count == 1)
        for variant in ["general", "qpp"] {
            let filtered = diff.filtered(.init(variant: variant))
            #expect(filtered.localitiesChanged == diff.localitiesChanged)
            #expect(DiffGateRule.any.reasons(filtered) == ["any: the catalogs differ"])
        }

        let sample = try SampleCatalogs.diff()
        let qpp = sample.filtered(.init(variant: "qpp"))
        #expect(qpp.rvuAdded.allSatisfy { $0.key.variant == "qpp" } && qpp.rvuChanged.allSatisfy { $0.key.variant == "qpp" })
        #expect(qpp.payments.allSatisfy { $0.key.variant == "qpp" })
        #expect(qpp.codesAdded == sample.codesAdded && qpp.codesRemoved == sample.codesRemoved)
        #expect(qpp.metadata == sample.metadata && qpp.localitiesChanged == sample.localitiesChanged)
        #expect(qpp.otherChanges == sample.otherChanges)
        let note = try #require(qpp.filterNote)
        #expect(note.filters == ["--variant qpp (RVU rows and payments only)"])
        #expect(note.leftOut == sample.changeCount - qpp.changeCount && note.leftOut > 0)
    }

    /// A filter that leaves changes out says so, in every format, and a passed gate too.
    @Test func whatFiltersLeaveOutIsReported() throws {
        let (_, new) = try SampleCatalogs.built.get()
        let edited = try Self.edited(new, "UPDATE locality SET pe_gpci = 0.999 WHERE mac = '10112' AND locality = '00'")
        defer { try? FileManager.default.removeItem(atPath: edited) }
        let diff = try CatalogDiff.compare(CatalogReader(path: new), CatalogReader(path: edited))
        let filtered = diff.filtered(.init(codePattern: "99*"))
        #expect(filtered.isEmpty && filtered.filterNote?.leftOut == 1)
        let report = DiffReport(diff: filtered, rules: [.any])
        #expect(report.gateFailures.isEmpty)
        let line = "filtered: --code '99*' (localities, metadata, the county crosswalk and categories left out); 1 change left out"
        #expect(report.text.contains("no differences that the filters keep\n\(line)\n"))
        #expect(report.text.hasSuffix("gate passed (any) on the filtered diff, 1 change left out\n"))
        #expect(report.markdown.contains("**Gate passed** (`any`) on the filtered diff, 1 change left out"))
        #expect(report.markdown.contains("_\(line)_"))
        let json = report.json.rendered()
        #expect(
            json.contains(
                #""identical":false,"filter":{"applied":["--code '99*' (localities, metadata, the county crosswalk and categories left out)"],"left_out":1},"summary""#
            ))
        #expect(!DiffReport(diff: diff).json.rendered().contains(#""filter""#), "no filter, no key")
    }

    // MARK: Payments that appear or vanish

    @Test func paidRowsThatAppearAreCountedAndFailTheGate() throws {
        let diff = try SampleCatalogs.diff()
        // The QPP rows are new in 2026: those with an amount are payments that appear.
        let added = diff.paymentsAdded.map { "\($0.key) \($0.setting) \(DiffReport.money($0.new))" }
        #expect(added.contains("11102 (qpp) nonfacility $98.69") && added.contains("27447 (qpp) facility $1280.60"))
        #expect(!added.contains { $0.hasPrefix("0001F") }, "a row without an amount is not paid")
        #expect(!added.contains { $0.hasPrefix("27447 (qpp) nonfacility") })
        #expect(diff.paymentsRemoved.isEmpty)
        let reasons = DiffGateRule.paymentChange(percent: 1000).reasons(diff)
        #expect(reasons.count == diff.paymentsAdded.count + diff.payments.filter { $0.percent == nil }.count)
        #expect(reasons.contains("payment-change:1000: 11102 (qpp) nonfacility none -> $98.69 (a paid row appeared)"))
        // Kept by --only added, and by the variant and setting.
        #expect(diff.filtered(.init(only: [.added])).paymentsAdded == diff.paymentsAdded)
        #expect(diff.filtered(.init(only: [.changed])).paymentsAdded.isEmpty)
        // 99445 is a new code: its general row appears paid too.
        #expect(diff.filtered(.init(variant: "general")).paymentsAdded.map { "\($0.key) \($0.setting)" } == ["99445 nonfacility"])
        #expect(diff.filtered(.init(fields: ["facility_amount"])).paymentsAdded.allSatisfy { $0.setting == "facility" })

        let count = diff.paymentsAdded.count
        let report = DiffReport(diff: diff)
        #expect(report.text.contains("\nnational payments: \(count) added, 0 removed, 33 changed\n"))
        #expect(report.markdown.contains("| national payments | \(count) | 0 | 33 |"))
        #expect(report.json.rendered().contains(#""payments":{"added":\#(count),"removed":0,"changed":33}"#))
    }

    @Test func paidRowsThatDisappearFailTheGate() throws {
        let (old, _) = try SampleCatalogs.built.get()
        let edited = try Self.edited(
            old,
            "DELETE FROM national_payment WHERE hcpcs = '99213' AND variant = 'general'; DELETE FROM rvu WHERE hcpcs = '99213'")
        defer { try? FileManager.default.removeItem(atPath: edited) }
        let diff = try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: edited))
        #expect(
            diff.paymentsRemoved.map { "\($0.key) \($0.setting) \(DiffReport.money($0.old))" } == [
                "99213 nonfacility $88.95", "99213 facility $63.72",
            ])
        let reasons = DiffGateRule.paymentChange(percent: 50).reasons(diff)
        #expect(reasons.first == "payment-change:50: 99213 nonfacility $88.95 -> none (a paid row disappeared)")
        #expect(reasons.count == 2)
        #expect(DiffReport(diff: diff).text.contains("\nnational payments: 0 added, 2 removed, 0 changed\n"))
    }

    // MARK: Lists

    @Test func listTextNeverReadsTheSameForTwoLists() {
        let lists: [[[String]]] = [
            [["a; b"]], [["a"], ["b"]], [["26", "x: y"]], [["26: x", "y"]], [["NULL"]], [[""]], [["a\""]], [[" a"]], [["a"]],
        ]
        let texts = lists.map(CatalogDiff.listText)
        #expect(Set(texts).count == lists.count, "\(texts)")
        #expect(CatalogDiff.listText([["shave biopsy"], ["tangential biopsy"]]) == "shave biopsy; tangential biopsy")
        #expect(CatalogDiff.listText([["25", "Add: when"]]) == "25: Add: when")
    }

    @Test func splittingASynonymIsAChange() throws {
        let (_, new) = try SampleCatalogs.built.get()
        let edited = try Self.edited(
            new,
            """
            DELETE FROM code_synonym WHERE code = '11102';
            INSERT INTO code_synonym (code, synonym, position) VALUES ('11102', 'shave biopsy; tangential biopsy', 1);
            """)
        defer { try? FileManager.default.removeItem(atPath: edited) }
        let diff = try CatalogDiff.compare(CatalogReader(path: new), CatalogReader(path: edited))
        #expect(
            diff.codesChanged.map { "\($0.code) \($0.changes.map { "\($0.field): \($0.old) -> \($0.new)" })" } == [
                #"11102 ["synonyms: shave biopsy; tangential biopsy -> \"shave biopsy; tangential biopsy\""]"#
            ])
    }

    @Test func movingTextBetweenAModifierAndItsNoteIsAChange() throws {
        let (_, new) = try SampleCatalogs.built.get()
        let before = try Self.edited(
            new, "UPDATE code_modifier_note SET note = 'Reading: report only.' WHERE code = '70450' AND modifier = '26'")
        let after = try Self.edited(
            new, "UPDATE code_modifier_note SET modifier = '26: Reading', note = 'report only.' WHERE code = '70450' AND modifier = '26'")
        defer {
            try? FileManager.default.removeItem(atPath: before)
            try? FileManager.default.removeItem(atPath: after)
        }
        let diff = try CatalogDiff.compare(CatalogReader(path: before), CatalogReader(path: after))
        let change = try #require(diff.codesChanged.first { $0.code == "70450" }?.changes.first)
        #expect(change.field == "modifier_notes")
        #expect(change.old.hasPrefix("26: Reading: report only.; TC: "))
        #expect(change.new.hasPrefix(#""26: Reading": report only.; TC: "#))
    }
}
