import Foundation
import RVUCore
import RVUTestSupport
import Testing

@testable import RVUHistory

/// Runs the built `rvuimport` binary.
enum HistoryBinary {
    static var url: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rvuimport")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Golden.repositoryRoot.appendingPathComponent(".build/debug/rvuimport")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = Golden.repositoryRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Writes `bytes` to a new file in the test folder and returns its path.
    static func file(_ name: String, _ text: String) throws -> String {
        let path = "\(SampleHistoryCatalogs.folder)/\(name)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// The RVU rows of a sample catalog's golden dump (Samples/golden/ID.catalog.txt): the catalog's
/// own values, read without the history code.
func goldenRVURows(_ id: String) throws -> [(code: String, modifier: String, variant: String, work: String)] {
    let text = try String(contentsOfFile: Golden.samples("golden/\(id).catalog.txt"), encoding: .utf8)
    var rows: [(code: String, modifier: String, variant: String, work: String)] = []
    var inRVU = false
    for line in text.split(separator: "\n") {
        if line.hasPrefix("# ") {
            inRVU = line == "# rvu"
            continue
        }
        guard inRVU else { continue }
        var fields: [String: String] = [:]
        for field in line.split(separator: "\t") {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        rows.append((fields["hcpcs"] ?? "", fields["modifier"] ?? "", fields["variant"] ?? "", fields["work_rvu"] ?? ""))
    }
    return rows
}

@Suite(.serialized) struct WRVUCommandTests {
    @Test func oneCodeOnADateInTextJSONAndCSV() throws {
        let history = try LookupFixtures.samples.get()
        let text = try HistoryBinary.run(["wrvu", "--history", history, "99213", "--on", "2025-12-31"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(
            text.stdout == """
                99213 (general) on 2025-12-31: RVU25D
                  values in effect from 2025-10-01 to 2026-01-01 (exclusive), as RVU25D published them
                  status       A
                  work RVU     1.30
                  total RVUs   2.75 non-facility, 1.97 facility
                  payment      88.95 non-facility, 63.72 facility (national)

                """)
        let json = try HistoryBinary.run(["wrvu", "--history", history, "70450-26", "--on", "2026-02-01", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "code", "modifier", "variant", "date", "release_id", "effective_from", "effective_to", "carried_forward", "status",
                "work_rvu", "nonfacility_total", "facility_total", "nonfacility_amount", "facility_amount",
            ])
        #expect(json.stdout.contains(#""work_rvu": 0.85,"#))
        #expect(json.stdout.contains(#""release_id": "RVU26A","#))
        #expect(json.stdout.contains(#""modifier": "26","#))
        #expect(json.stdout.contains(#""effective_to": null,"#))
        let csv = try HistoryBinary.run([
            "wrvu", "--history", history, "99213", "--on", "2026-01-01", "--variant", "qpp", "--format", "csv",
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(
            csv.stdout == """
                code,modifier,variant,date,release_id,effective_from,effective_to,carried_forward,status,work_rvu,nonfacility_total,facility_total,nonfacility_amount,facility_amount
                99213,,qpp,2026-01-01,RVU26A,2026-01-01,,false,A,1.30,2.79,1.95,93.65,65.46

                """)
    }

    @Test func noAnswerExitsOneAndBadArgumentsAreUsageErrors() throws {
        let history = try LookupFixtures.samples.get()
        let unknown = try HistoryBinary.run(["wrvu", "--history", history, "99999", "--on", "2026-01-01"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "\(history): error: 99999 is in no release of the history\n")
        #expect(unknown.stdout.isEmpty)
        let early = try HistoryBinary.run(["wrvu", "--history", history, "99213", "--on", "2025-09-30"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("2025-09-30 is before the first release in the history (RVU25D, effective 2025-10-01)"))
        for bad in ["2025-13-01", "2025-02-29", "12/31/2025", "yesterday"] {
            let result = try HistoryBinary.run(["wrvu", "--history", history, "99213", "--on", bad])
            #expect(result.status == 64, "\(bad): \(result.stderr)")
            #expect(result.stderr.contains("is not a date written YYYY-MM-DD"), "\(bad)")
        }
        #expect(try HistoryBinary.run(["wrvu", "--history", history, "99213"]).status == 64)
        #expect(try HistoryBinary.run(["wrvu", "--history", history, "99213", "--on", "2026-01-01", "--variant", "apm"]).status == 64)
        let missing = try HistoryBinary.run(["wrvu", "--history", history + ".missing", "99213", "--on", "2026-01-01"])
        #expect(missing.status == 74)
        let (old, _) = try SampleHistoryCatalogs.built.get()
        let notHistory = try HistoryBinary.run(["wrvu", "--history", old, "99213", "--on", "2026-01-01"])
        #expect(notHistory.status == 74, "\(notHistory.stderr)")
        #expect(notHistory.stderr.contains("not an rvuimport history"), "\(notHistory.stderr)")
    }

    /// Every RVU row of each sample release, as a visit of 2 units on a day inside its period:
    /// the work RVU is the catalog's own (its golden dump), the wRVU twice it.
    @Test func aBatchOfEveryRowOfBothReleasesAnswersTheCatalogsOwnValues() throws {
        let history = try LookupFixtures.samples.get()
        var expected: [String] = []
        var visits = "code,modifier,date,units\n"
        var count = 0
        for (id, date) in [("RVU25D", "2025-11-15"), ("RVU26A", "2026-03-31")] {
            for row in try goldenRVURows(id) where row.variant == "general" {
                visits += "\(row.code),\(row.modifier),\(date),2\n"
                let work = try #require(ExactDecimal(row.work))
                expected.append("\(row.code),\(row.modifier),\(date),2,\(row.work),\(work + work),\(id),false,")
                count += 1
            }
        }
        #expect(count > 50)
        let input = try HistoryBinary.file("all-rows.csv", visits)
        let result = try HistoryBinary.run(["wrvu", "--history", history, "--input", input])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "code,modifier,date,units,work_rvu,wrvu,release_id,carried_forward,error")
        #expect(Array(lines.dropFirst().dropLast()) == expected)
        #expect(result.stderr.contains(": \(count) visits: \(count) answered, 0 with an error;"))
    }

    /// The app's export as spreadsheets write it: a byte-order mark, CRLF, columns in another
    /// order and case, an extra column with commas, quotes and a line break; bad lines get their
    /// error and the others are still answered, in input order.
    @Test func aHostileBatchAnswersEveryGoodLineAndNamesEachBadOne() throws {
        let history = try LookupFixtures.samples.get()
        let input = try HistoryBinary.file(
            "hostile.csv",
            "\u{FEFF}Date, UNITS ,Code,Note,Modifier\r\n"
                + "2025-12-31,1,99213,\"plain, with a comma\",\r\n"
                + "2026-01-15,1.5,\"70450\",\"said \"\"ouch\"\"\r\nthen left\",26\r\n"
                + "2026-01-15,two,99213,units not a number,\r\n"
                + "15/01/2026,1,99213,date in another form,\r\n"
                + "2026-01-15,1,99999,unknown code,\r\n"
                + "2025-09-30,1,99213,before the first release,\r\n"
                + "2026-01-15,-1,99213,negative units,\r\n"
                + "2026-01-15,1,99213,too,many,fields\r\n"
                + "\r\n"
                + "2026-01-15,3,99214,last,\r\n")
        let result = try HistoryBinary.run(["wrvu", "--history", history, "--input", input])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stdout == """
                Date, UNITS ,Code,Note,Modifier,work_rvu,wrvu,release_id,carried_forward,error
                2025-12-31,1,99213,"plain, with a comma",,1.30,1.30,RVU25D,false,
                2026-01-15,1.5,70450,"said ""ouch""\r
                then left",26,0.85,1.275,RVU26A,false,
                2026-01-15,two,99213,units not a number,,,,,,"units 'two' is not a number of units (0 or more, as 1 or 1.5)"
                15/01/2026,1,99213,date in another form,,,,,,date '15/01/2026' is not a date written YYYY-MM-DD
                2026-01-15,1,99999,unknown code,,,,,,99999 is in no release of the history
                2025-09-30,1,99213,before the first release,,,,,,"2025-09-30 is before the first release in the history (RVU25D, effective 2025-10-01)"
                2026-01-15,-1,99213,negative units,,,,,,"units '-1' is not a number of units (0 or more, as 1 or 1.5)"
                2026-01-15,1,99213,too,many,,,,,6 fields where the header has 5
                2026-01-15,3,99214,last,,1.95,5.85,RVU26A,false,

                """)
        #expect(result.stderr == "\(input): 9 visits: 3 answered, 6 with an error; 8.425 wRVU in all\n")

        let json = try HistoryBinary.run(["wrvu", "--history", history, "--input", input, "--format", "json"])
        #expect(json.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 9)
        #expect(array.first?["Code"] as? String == "99213")
        #expect((array.first?["wrvu"] as? NSNumber)?.stringValue == "1.3")
        #expect(json.stdout.contains(#""wrvu": 1.30,"#))

        let text = try HistoryBinary.run(["wrvu", "--history", history, "--input", input, "--format", "text"])
        #expect(text.status == 1)
        #expect(text.stdout.hasPrefix("2: 2025-12-31,1,99213,plain, with a comma,: work RVU 1.30 = 1.30 wRVU (RVU25D)\n"))
        #expect(text.stdout.contains("\n5: 2026-01-15,two,99213,units not a number,: error: units 'two' is not a number"))
    }

    @Test(arguments: [
        ("code,date,modifier\n99213,2026-01-01,\n", "1: error: no 'units' column; the header must name code, date and units"),
        ("code,date,units,code\n", "1: error: two columns are labelled 'code'; keep one"),
        ("code,date,units,wrvu\n", "1: error: the input has a column 'wrvu', which the output adds; rename or remove it"),
        ("", ": error: the file is empty; its first line must be the header code,modifier,date,units"),
        ("code,date,units\n\"99213,2026-01-01,1\n", "2:1: error: unterminated quoted field"),
    ])
    func aBatchThatCannotBeReadAsVisitsStopsWithExitOne(text: String, message: String) throws {
        let history = try LookupFixtures.samples.get()
        let input = try HistoryBinary.file("bad-\(UUID().uuidString).csv", text)
        let result = try HistoryBinary.run(["wrvu", "--history", history, "--input", input])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix(input + ":" + message) || result.stderr.hasPrefix(input + message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aBatchInputThatIsAFolderOrAFIFOIsRefusedWithoutWaiting() throws {
        let history = try LookupFixtures.samples.get()
        let fifo = "\(SampleHistoryCatalogs.folder)/visits.fifo"
        _ = unlink(fifo)
        #expect(mkfifo(fifo, 0o600) == 0)
        for input in [fifo, SampleHistoryCatalogs.folder, fifo + ".missing"] {
            let result = try HistoryBinary.run(["wrvu", "--history", history, "--input", input])
            #expect(result.status == 74, "\(input): \(result.stderr)")
            #expect(result.stderr.hasPrefix(input + ": error: "), "\(result.stderr)")
        }
        #expect(try HistoryBinary.run(["wrvu", "--history", history, "--input", fifo, "99213"]).status == 64)
    }

    @Test func showWithTheHistoryAddsThePeriods() throws {
        let history = try LookupFixtures.samples.get()
        let (_, new) = try SampleHistoryCatalogs.built.get()
        let markdown = try HistoryBinary.run(["show", "99213", "--catalog", new, "--history", history, "--format", "markdown"])
        #expect(markdown.status == 0, "\(markdown.stderr)")
        try Golden.check(markdown.stdout, against: "RVU26A.show-99213.history.md")
        let text = try HistoryBinary.run(["show", "70450", "--catalog", new, "--history", history])
        #expect(text.status == 0, "\(text.stderr)")
        try Golden.check(text.stdout, against: "RVU26A.show-70450.history.txt")
        let json = try HistoryBinary.run(["show", "99213", "--catalog", new, "--history", history, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let periods = try #require(object["history"] as? [[String: Any]])
        #expect(periods.count == 3)
        #expect(periods.map { $0["release_id"] as? String } == ["RVU25D", "RVU26A", "RVU26A"])
        #expect(periods.map { $0["variant"] as? String } == ["general", "general", "qpp"])
        #expect(json.stdout.contains(#""work_rvu": 1.30,"#))
        // Without --history the page is as before.
        let plain = try HistoryBinary.run(["show", "99213", "--catalog", new, "--format", "json"])
        #expect(!plain.stdout.contains("\"history\""))
        let broken = try HistoryBinary.run(["show", "99213", "--catalog", new, "--history", new])
        #expect(broken.status == 74, "\(broken.stderr)")
    }

    @Test func historyBuildReadsTheCatalogsOfAFolder() throws {
        let (old, new) = try SampleHistoryCatalogs.built.get()
        let folder = "\(SampleHistoryCatalogs.folder)/catalogs-folder"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for path in [old, new] {
            let target = folder + "/" + URL(fileURLWithPath: path).lastPathComponent
            if !FileManager.default.fileExists(atPath: target) { try FileManager.default.copyItem(atPath: path, toPath: target) }
        }
        let output = "\(SampleHistoryCatalogs.folder)/from-folder.sqlite"
        let result = try HistoryBinary.run(["history", "build", "--catalogs", folder, "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("RVU25D: 2025-10-01 to 2026-01-01 (exclusive)"))
        let direct = "\(SampleHistoryCatalogs.folder)/from-arguments.sqlite"
        #expect(try HistoryBinary.run(["history", "build", new, old, "--output", direct]).status == 0)
        #expect(try SampleHistoryCatalogs.digest(output) == SampleHistoryCatalogs.digest(direct))
        let nowhere = try HistoryBinary.run(["history", "build", "--catalogs", folder + "/missing", "--output", output])
        #expect(nowhere.status == 74, "\(nowhere.stderr)")
    }
}
