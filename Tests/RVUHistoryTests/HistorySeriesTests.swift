import Foundation
import GRDB
import RVUCore
import RVUHistory
import RVUTestSupport
import Testing

/// The history of a generated quarterly series (RVU24A to RVU25D and the correction RVU24AR,
/// written by `rvusamples --series`), checked row by row against each release's own catalog.
@Suite(.serialized) struct HistorySeriesTests {
    /// Each loaded release with the days it is in effect, `[from, to)`; superseded ones left out.
    static func releases(_ history: String) throws -> [(id: String, from: CalendarDate, to: CalendarDate?)] {
        let queue = try HistoryQuery(history).queue
        return try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT release_id, effective_from, effective_to FROM source_release ORDER BY effective_from, release_id"
            ).compactMap { row -> (id: String, from: CalendarDate, to: CalendarDate?)? in
                guard let from = CalendarDate(iso: row[1] as String) else { return nil }
                let to = (row[2] as String?).flatMap { CalendarDate(iso: $0) }
                return to == from ? nil : (row[0], from, to)
            }
        }
    }

    /// Checks every row of `catalog` against the answers on `day`, naming `release` as the one in
    /// effect; returns the number of rows checked.
    @discardableResult
    static func expectEveryRow(
        of catalog: String, answeredBy query: HistoryQuery, on day: CalendarDate, release: String, carriedForward: Bool = false,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Int {
        let rows = try CatalogRow.all(in: catalog)
        var failures: [String] = []
        for row in rows {
            guard let answer = try query.answer(row.key, on: day) else {
                failures.append("\(row.key.hcpcs)-\(row.key.modifier) \(row.key.variant): no answer")
                continue
            }
            let differences = row.differences(from: answer)
            if !differences.isEmpty { failures.append("\(row.key.hcpcs)-\(row.key.modifier): \(differences.joined(separator: ", "))") }
            if answer.releaseID != release { failures.append("\(row.key.hcpcs)-\(row.key.modifier): release \(answer.releaseID)") }
            if answer.carriedForward != carriedForward { failures.append("\(row.key.hcpcs)-\(row.key.modifier): carried_forward") }
        }
        #expect(
            failures.isEmpty, "\(release) on \(day): \(failures.count) of \(rows.count) rows wrong: \(failures.prefix(5))",
            sourceLocation: sourceLocation)
        // No other row is in effect that day (a deleted code is gone).
        let answered = try query.queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM rvu_period WHERE effective_from <= ? AND (effective_to IS NULL OR effective_to > ?)",
                arguments: [day.description, day.description])
        }
        #expect(
            answered == rows.count, "\(release) on \(day): \(answered ?? 0) rows in effect, the catalog has \(rows.count)",
            sourceLocation: sourceLocation)
        return rows.count
    }

    @Test func everyRowOfEachReleaseIsAnsweredInsideItsPeriodAndOnItsFirstAndLastDay() throws {
        let built = try SeriesFixture.built.get()
        let query = try HistoryQuery(built.history)
        let releases = try Self.releases(built.history)
        #expect(releases.count == SeriesFixture.quarters + 1)
        for release in releases {
            let catalog = try built.catalog(release.id)
            let end = release.to ?? Days.adding(91, to: release.from)
            let middle = Days.adding(Days.between(release.from, end) / 2, to: release.from)
            try Self.expectEveryRow(of: catalog, answeredBy: query, on: middle, release: release.id)
            try Self.expectEveryRow(of: catalog, answeredBy: query, on: release.from, release: release.id)
            try Self.expectEveryRow(of: catalog, answeredBy: query, on: Days.adding(-1, to: end), release: release.id)
        }
        // Before the first release there is no answer.
        let first = try #require(releases.first)
        let row = try #require(try CatalogRow.all(in: try built.catalog(first.id)).first)
        let dayBefore = Days.adding(-1, to: first.from)
        #expect(
            query.result(row.key, on: dayBefore)
                == .failure(.beforeFirstRelease(date: dayBefore, first: first.id, effectiveFrom: first.from)))
    }

    @Test func theCorrectionReplacesTheQuarterFromMarchNinth() throws {
        let built = try SeriesFixture.built.get()
        let query = try HistoryQuery(built.history)
        let releases = try Self.releases(built.history)
        let original = try #require(releases.first { $0.id == "RVU24A" })
        let correction = try #require(releases.first { $0.id == "RVU24AR" })
        #expect(original.from.description == "2024-01-01")
        #expect(original.to?.description == "2024-03-09")
        #expect(correction.from.description == "2024-03-09")
        #expect(correction.to?.description == "2024-04-01")
        let manifest = try #require(built.manifest.first { $0.id == "RVU24AR" })
        #expect(manifest.correctionOf == "RVU24A")
        let before = try #require(CalendarDate(iso: "2024-03-08"))
        let after = try #require(CalendarDate(iso: "2024-03-09"))
        let old = Dictionary(try CatalogRow.all(in: try built.catalog("RVU24A")).map { ($0.key, $0) }) { first, _ in first }
        let new = try CatalogRow.all(in: try built.catalog("RVU24AR"))
        var corrected = 0
        var repriced = 0
        for row in new {
            let oldRow = try #require(old[row.key])
            let earlier = try #require(try query.answer(row.key, on: before))
            let later = try #require(try query.answer(row.key, on: after))
            #expect(oldRow.differences(from: earlier).isEmpty, "\(row.key) on 2024-03-08")
            #expect(row.differences(from: later).isEmpty, "\(row.key) on 2024-03-09")
            #expect(earlier.releaseID == "RVU24A" && later.releaseID == "RVU24AR")
            if earlier.workRVU != later.workRVU { corrected += 1 }
            if earlier.nonfacilityAmount != later.nonfacilityAmount { repriced += 1 }
            if row.numbers[0] != nil {
                #expect(earlier.value("conversion_factor") == "32.7442" && later.value("conversion_factor") == "33.2875")
            }
        }
        // The rows the correction changed (listed in series.json) and every priced row's payment.
        #expect(corrected > 0 && corrected <= manifest.changed.count)
        #expect(repriced > new.count / 3)
    }

    @Test func aCodeDeletedAndReAddedLaterHasNoAnswerWhileItIsGone() throws {
        let built = try SeriesFixture.built.get()
        let query = try HistoryQuery(built.history)
        let releases = try Self.releases(built.history)
        let readding = try #require(built.manifest.first { !$0.readded.isEmpty })
        let code = try #require(readding.readded.first)
        let deleting = try #require(built.manifest.first { $0.deleted.contains(code) })
        let gone = try #require(releases.first { $0.id == deleting.id })
        let back = try #require(releases.first { $0.id == readding.id })
        #expect(gone.from < back.from)
        let key = RVUKey(hcpcs: code, modifier: "", variant: "general")
        let lastDay = Days.adding(-1, to: gone.from)
        let before = try #require(try query.answer(key, on: lastDay), "\(code) on \(lastDay), before its deletion")
        let previous = try #require(releases.last { $0.from <= lastDay })
        let previousRow = try #require(try CatalogRow.all(in: try built.catalog(previous.id)).first { $0.key == key })
        #expect(previousRow.differences(from: before).isEmpty)
        let missing = Days.adding(-1, to: back.from)
        let inEffectThen = try #require(releases.last { $0.from <= missing })
        #expect(query.result(key, on: gone.from) == .failure(.notInEffect(key, date: gone.from, release: gone.id)))
        #expect(query.result(key, on: missing) == .failure(.notInEffect(key, date: missing, release: inEffectThen.id)))
        let after = try #require(try query.answer(key, on: back.from), "\(code) on \(back.from), re-added")
        let row = try #require(try CatalogRow.all(in: try built.catalog(back.id)).first { $0.key == key })
        #expect(row.differences(from: after).isEmpty)
        #expect(after.releaseID == back.id)
    }

    @Test func aModifierRowThatAppearsIsAnsweredFromItsFirstRelease() throws {
        let built = try SeriesFixture.built.get()
        let query = try HistoryQuery(built.history)
        let releases = try Self.releases(built.history)
        let adding = try #require(built.manifest.first { !$0.modifierRowsAdded.isEmpty })
        let release = try #require(releases.first { $0.id == adding.id })
        let catalog = try CatalogRow.all(in: try built.catalog(adding.id))
        for name in adding.modifierRowsAdded {
            let parts = name.split(separator: "-").map(String.init)
            let key = RVUKey(hcpcs: parts[0], modifier: parts.count > 1 ? parts[1] : "", variant: "general")
            let global = RVUKey(hcpcs: parts[0], modifier: "", variant: "general")
            let dayBefore = Days.adding(-1, to: release.from)
            #expect(try query.answer(key, on: dayBefore) == nil, "\(name) before \(adding.id)")
            #expect(try query.answer(global, on: dayBefore) != nil, "\(parts[0]) before \(adding.id)")
            let answer = try #require(try query.answer(key, on: release.from), "\(name) in \(adding.id)")
            let row = try #require(catalog.first { $0.key == key })
            #expect(row.differences(from: answer).isEmpty)
        }
    }

    /// What series.json says each release changed is what the catalogs show.
    @Test func theManifestMatchesTheCatalogs() throws {
        let built = try SeriesFixture.built.get()
        #expect(built.manifest.filter { $0.correctionOf != nil }.map(\.id) == ["RVU24AR"])
        for (earlier, later) in zip(built.manifest, built.manifest.dropFirst()) {
            let old = try CatalogRow.all(in: try built.catalog(earlier.id))
            let new = try CatalogRow.all(in: try built.catalog(later.id))
            #expect(new.count == later.rows)
            let oldCodes = Set(old.map(\.key.hcpcs))
            let newCodes = Set(new.map(\.key.hcpcs))
            #expect(oldCodes.subtracting(newCodes).sorted() == later.deleted, "\(later.id) deleted")
            #expect(newCodes.subtracting(oldCodes).sorted() == later.added, "\(later.id) added")
            let oldByKey = Dictionary(old.map { ($0.key, $0) }) { first, _ in first }
            var changed: [String] = []
            var appeared: [String] = []
            for row in new {
                let name = row.key.modifier.isEmpty ? row.key.hcpcs : "\(row.key.hcpcs)-\(row.key.modifier)"
                guard let before = oldByKey[row.key] else {
                    if oldCodes.contains(row.key.hcpcs) { appeared.append(name) }
                    continue
                }
                if before.numbers.prefix(4) != row.numbers.prefix(4) { changed.append(name) }
            }
            #expect(changed.sorted() == later.changed, "\(later.id) changed")
            #expect(appeared.sorted() == later.modifierRowsAdded.sorted(), "\(later.id) modifier rows")
            if later.correctionOf == nil {
                // About 0.5% of the codes deleted (a code drawn twice counts once), 1% added, 2% of
                // the other rows changed.
                let kept = oldCodes.count - later.deleted.count
                #expect((1...max(1, oldCodes.count / 200)).contains(later.deleted.count), "\(later.id) deletions")
                #expect(later.added.count == max(1, kept / 100), "\(later.id) additions")
                let addedCodes = Set(later.added)
                #expect(later.changed.count == max(1, new.filter { !addedCodes.contains($0.key.hcpcs) }.count / 50), "\(later.id) changes")
            }
        }
    }

    @Test func theGeneratorWritesTheSameBytesAgain() throws {
        _ = try SeriesFixture.built.get()
        let process = Process()
        process.executableURL = BuiltTool.url("rvusamples")
        process.arguments = [
            "--series", String(SeriesFixture.quarters), "--codes", String(SeriesFixture.codes), "--output",
            "\(SeriesFixture.folder)/archives",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(lines.count == SeriesFixture.quarters + 2)
        #expect(lines.allSatisfy { $0.hasPrefix("unchanged ") }, "\(lines.filter { !$0.hasPrefix("unchanged ") })")
    }

    /// `history add` reads only the periods a release can change and copies the others: adding
    /// the releases one at a time gives the build's file, byte for byte, whether they come in date
    /// order (the cron's case: each add touches the open periods only), the correction last
    /// (it replaces a quarter in the middle) or in reverse (each add goes before all the others).
    @Test(arguments: ["date order", "correction last", "reverse"])
    func addingReleasesOneAtATimeGivesTheBuildsBytes(_ order: String) throws {
        let built = try SeriesFixture.built.get()
        let inDateOrder = built.manifest.map(\.id)
        let sequence =
            switch order {
            case "date order": inDateOrder
            case "correction last": inDateOrder.filter { !$0.hasSuffix("R") } + inDateOrder.filter { $0.hasSuffix("R") }
            default: Array(inDateOrder.reversed())
            }
        #expect(sequence.count == SeriesFixture.quarters + 1)
        let path = "\(SeriesFixture.folder)/added-\(order.replacingOccurrences(of: " ", with: "-")).sqlite"
        var last: HistoryBuilder.Report?
        for release in sequence {
            let (report, outcome) = try HistoryBuilder.add(catalog: try built.catalog(release), history: path)
            #expect(outcome == .added, "\(release)")
            last = report
        }
        #expect(try SampleHistoryCatalogs.digest(path) == (try SampleHistoryCatalogs.digest(built.history)), "\(order)")
        let counts = try HistoryQuery(built.history).queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM rvu_period"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM locality_period")
            )
        }
        #expect(last?.rvuPeriods == counts.0 && last?.localityPeriods == counts.1, "the report counts the whole file's periods")
    }

    /// A new catalog of a release already in the history (a re-post) replaces that release's
    /// values from its date, and the file is the one a build with the new catalog gives.
    @Test func aRepostOfAReleaseInTheMiddleReplacesItsValues() throws {
        let built = try SeriesFixture.built.get()
        let ids = built.manifest.map(\.id)
        // The values of the release before it, under its id: a catalog version of its own.
        let middle = ids[ids.count / 2]
        let previous = ids[ids.count / 2 - 1]
        let repost = "\(SeriesFixture.folder)/repost-\(middle).sqlite"
        try? FileManager.default.removeItem(atPath: repost)
        try FileManager.default.copyItem(atPath: try built.catalog(previous), toPath: repost)
        let queue = try DatabaseQueue(path: repost)
        try queue.write { db in
            try db.execute(sql: "UPDATE catalog_meta SET value = ? WHERE key = 'release_id'", arguments: [middle])
            try db.execute(sql: "UPDATE catalog_meta SET value = value || '-repost' WHERE key = 'catalog_version'")
        }
        try queue.close()
        let path = "\(SeriesFixture.folder)/reposted.sqlite"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: built.history, toPath: path)
        let (_, outcome) = try HistoryBuilder.add(catalog: repost, history: path)
        #expect(outcome == .replaced)
        let expected = "\(SeriesFixture.folder)/reposted-built.sqlite"
        let others = ids.filter { $0 != middle }.map { built.catalogs[$0] ?? "" } + [repost]
        try HistoryStore.write(try HistoryBuilder.build(catalogs: others), to: expected)
        #expect(try SampleHistoryCatalogs.digest(path) == (try SampleHistoryCatalogs.digest(expected)))
    }
}
