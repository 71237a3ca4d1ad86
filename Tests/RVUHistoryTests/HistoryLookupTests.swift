import Foundation
import RVUCore
import RVUTestSupport
import Testing

@testable import RVUHistory

/// A history of the two sample catalogs, and a synthetic one, written once.
enum LookupFixtures {
    static let samples: Result<String, Error> = Result {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let path = "\(SampleHistoryCatalogs.folder)/lookup-samples.sqlite"
        try HistoryStore.write(try HistoryBuilder.build(catalogs: [new, old]), to: path)
        return path
    }

    /// RVU24A, its correction RVU24AR (March 9), RVU25A and RVU25C (RVU25B's quarter carried
    /// forward). 99213 keeps its values from RVU24AR on (one merged period); 0001F is deleted
    /// by RVU25C; 70450-26 appears in RVU25A.
    static let synthetic: Result<String, Error> = Result {
        try FileManager.default.createDirectory(atPath: SampleHistoryCatalogs.folder, withIntermediateDirectories: true)
        func row(_ code: String, _ modifier: String = "", work: String, total: String) -> (key: RVUKey, values: [String?]) {
            (
                RVUKey(hcpcs: code, modifier: modifier, variant: "general"),
                ["A", work, "1.00", "0.50", "0.10", total, total, "XXX", "32.7442", "90.05", "60.00"]
            )
        }
        func snapshot(_ id: String, _ rows: [(key: RVUKey, values: [String?])]) throws -> CatalogSnapshot {
            CatalogSnapshot(release: try ReleaseID(parsing: id), catalogVersion: "v-\(id)", releasedOn: nil, rvu: rows, localities: [])
        }
        let releases = [
            try snapshot("RVU24A", [row("99213", work: "1.30", total: "2.90"), row("0001F", work: "0.00", total: "0.00")]),
            try snapshot("RVU24AR", [row("99213", work: "1.31", total: "2.91"), row("0001F", work: "0.00", total: "0.00")]),
            try snapshot(
                "RVU25A",
                [
                    row("99213", work: "1.31", total: "2.91"), row("0001F", work: "0.00", total: "0.00"),
                    row("70450", "26", work: "0.85", total: "1.19"),
                ]),
            try snapshot("RVU25C", [row("99213", work: "1.31", total: "2.91"), row("70450", "26", work: "0.85", total: "1.19")]),
        ]
        var timeline = HistoryTimeline()
        for snapshot in releases {
            let (from, rule) = EffectiveDates.effectiveFrom(snapshot.release)
            _ = try timeline.add(snapshot, effectiveFrom: from, rule: rule.text)
        }
        let path = "\(SampleHistoryCatalogs.folder)/lookup-synthetic.sqlite"
        try HistoryStore.write(timeline, to: path)
        return path
    }
}

func day(_ text: String) throws -> CalendarDate { try #require(HistoryLookup.date(text)) }

@Suite struct HistoryLookupTests {
    @Test(arguments: [("old", "2025-10-01"), ("old", "2025-11-15"), ("old", "2025-12-31"), ("new", "2026-01-01"), ("new", "2027-06-30")])
    func everyRowOfEachSampleReleaseIsAnsweredWithItsOwnValues(which: String, date: String) throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let lookup = try HistoryLookup(path: try LookupFixtures.samples.get())
        let snapshot = try CatalogSnapshot.read(which == "old" ? old : new)
        let periods = try lookup.periods(of: snapshot.rvu.map(\.key.hcpcs))
        #expect(snapshot.rvu.count > 20)
        for row in snapshot.rvu {
            let answer = try lookup.answer(
                code: row.key.hcpcs, modifier: row.key.modifier, variant: row.key.variant, on: try day(date), from: periods
            ).get()
            #expect(answer.values == row.values, "\(row.key) on \(date)")
            #expect(answer.releaseID == snapshot.release.description)
            #expect(answer.carriedForward == false)
        }
    }

    @Test func theAnswerFor99213OnASampleDateIsTheCatalogsRow() throws {
        let lookup = try HistoryLookup(path: try LookupFixtures.samples.get())
        let answer = try lookup.answer(code: "99213", on: try day("2025-12-31")).get()
        #expect(answer.workRVU == "1.30")
        #expect(answer.releaseID == "RVU25D")
        #expect(answer.effectiveFrom.description == "2025-10-01")
        #expect(answer.effectiveTo?.description == "2026-01-01")
        #expect(
            answer.json.rendered()
                == #"{"code":"99213","modifier":null,"variant":"general","date":"2025-12-31","release_id":"RVU25D","effective_from":"2025-10-01","effective_to":"2026-01-01","carried_forward":false,"status":"A","work_rvu":1.30,"nonfacility_total":2.75,"facility_total":1.97,"nonfacility_amount":88.95,"facility_amount":63.72}"#
        )
    }

    @Test func aDateBeforeTheFirstReleaseAndAnUnknownCodeHaveNoAnswer() throws {
        let lookup = try HistoryLookup(path: try LookupFixtures.samples.get())
        #expect(
            throws: HistoryLookup.NoAnswer.beforeFirstRelease(
                date: try day("2025-09-30"), first: "RVU25D", effectiveFrom: try day("2025-10-01"))
        ) { try lookup.answer(code: "99213", on: try day("2025-09-30")).get() }
        #expect(throws: HistoryLookup.NoAnswer.unknownCode(RVUKey(hcpcs: "99999", modifier: "", variant: "general"))) {
            try lookup.answer(code: "99999", on: try day("2026-02-01")).get()
        }
        // The QPP variant begins with RVU26A: none before it.
        #expect(throws: HistoryLookup.NoAnswer.self) { try lookup.answer(code: "99213", variant: "qpp", on: try day("2025-12-31")).get() }
        #expect((try? lookup.answer(code: "99213", variant: "qpp", on: try day("2026-01-01")).get()) != nil)
    }

    @Test func theReleaseInEffectIsNamedEvenWhereThePeriodsWereMerged() throws {
        let lookup = try HistoryLookup(path: try LookupFixtures.synthetic.get())
        let answer = try lookup.answer(code: "99213", on: try day("2025-08-01")).get()
        #expect(answer.releaseID == "RVU25C")
        #expect(answer.periodReleaseID == "RVU24AR")
        #expect(answer.effectiveFrom.description == "2024-03-09")
        #expect(answer.effectiveTo == nil)
        #expect(answer.carriedForward == false)
    }

    @Test func theCorrectionTakesEffectInTheMiddleOfTheQuarter() throws {
        let lookup = try HistoryLookup(path: try LookupFixtures.synthetic.get())
        let before = try lookup.answer(code: "99213", on: try day("2024-03-08")).get()
        #expect(before.workRVU == "1.30")
        #expect(before.releaseID == "RVU24A")
        #expect(before.effectiveTo?.description == "2024-03-09")
        let after = try lookup.answer(code: "99213", on: try day("2024-03-09")).get()
        #expect(after.workRVU == "1.31")
        #expect(after.releaseID == "RVU24AR")
    }

    @Test func aQuarterWithNoLoadedReleaseIsCarriedForward() throws {
        let lookup = try HistoryLookup(path: try LookupFixtures.synthetic.get())
        let carried = try lookup.answer(code: "99213", on: try day("2025-05-15")).get()
        #expect(carried.carriedForward)
        #expect(carried.releaseID == "RVU25A")
        #expect(try lookup.answer(code: "99213", on: try day("2025-06-30")).get().carriedForward)
        #expect(try !lookup.answer(code: "99213", on: try day("2025-07-01")).get().carriedForward)
        #expect(try !lookup.answer(code: "99213", on: try day("2025-03-31")).get().carriedForward)
    }

    @Test func aDeletedCodeAndAModifierThatAppears() throws {
        let lookup = try HistoryLookup(path: try LookupFixtures.synthetic.get())
        #expect(try lookup.answer(code: "0001f", on: try day("2025-06-30")).get().workRVU == "0.00")
        #expect(
            throws: HistoryLookup.NoAnswer.notInEffect(
                RVUKey(hcpcs: "0001F", modifier: "", variant: "general"), date: try day("2025-07-01"), release: "RVU25C")
        ) {
            try lookup.answer(code: "0001F", on: try day("2025-07-01")).get()
        }
        #expect(throws: HistoryLookup.NoAnswer.self) { try lookup.answer(code: "70450", modifier: "26", on: try day("2024-12-31")).get() }
        #expect(try lookup.answer(code: "70450", modifier: "26", on: try day("2025-01-01")).get().workRVU == "0.85")
    }

    @Test(arguments: ["2025-6-15", "2025-06-31", "06/15/2025", "2025-06-15 ", "", "+025-06-15", "2025-02-29"])
    func aDateNotWrittenYYYYMMDDOrThatDoesNotExistIsRefused(text: String) {
        #expect(HistoryLookup.date(text) == nil)
    }

    @Test func aFileThatIsNotAHistoryIsAReadError() throws {
        let (old, _) = try SampleHistoryCatalogs.built.get()
        #expect(throws: DiagnosticError.self) { try HistoryLookup(path: old) }
        #expect(throws: DiagnosticError.self) { try HistoryLookup(path: SampleHistoryCatalogs.folder) }
    }
}
