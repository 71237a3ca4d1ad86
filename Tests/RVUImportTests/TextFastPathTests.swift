import RVUCore
import Testing

@testable import RVUContainers
@testable import RVUImport

/// A small deterministic generator for the fast-path tests, so that a failure can be reproduced.
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// The text readers' fast paths checked against their general paths: CSV records and
/// fixed-width lines whose cells borrow the member's bytes must read exactly as before.
@Suite struct TextFastPathTests {
    /// One row as read: line number, each cell's text and kind.
    struct ReadRow: Equatable {
        var number: Int
        var cells: [String]
        var kinds: [Row.CellKind]
        var blank: Bool
    }

    func csvRows(_ text: [UInt8], limits: CSVReader.Limits = CSVReader.Limits()) throws -> [ReadRow] {
        var rows: [ReadRow] = []
        try text.withUnsafeBufferPointer { buffer in
            try CSVReader(bytes: buffer, location: SourceLocation(file: "t.csv"), limits: limits).forEachRow { row in
                rows.append(
                    ReadRow(number: row.number, cells: row.strings, kinds: (0..<row.count).map { row.kind($0) }, blank: row.isBlank))
            }
        }
        return rows
    }

    /// Plain records (read by the fast path) and the same records with their first field quoted
    /// (which sends each through the general loop) read the same.
    @Test func plainCSVRecordsReadAsTheGeneralLoopReadsThem() throws {
        var generator = TestGenerator(state: 42)
        let alphabet = Array("ABC xyz019.-/+()#&' \t\u{1A}".utf8)
        let endings: [[UInt8]] = [[0x0D, 0x0A], [0x0A], [0x0D]]
        for _ in 0..<200 {
            var plain: [UInt8] = []
            var quoted: [UInt8] = []
            let records = Int.random(in: 1...6, using: &generator)
            for record in 0..<records {
                let fields = Int.random(in: 1...8, using: &generator)
                for field in 0..<fields {
                    if field > 0 {
                        plain.append(0x2C)
                        quoted.append(0x2C)
                    }
                    // A first field of at least one byte: a blank last line without a line end is
                    // no record unquoted, but one quoted.
                    let text = (0..<Int.random(in: (field == 0 ? 1 : 0)...12, using: &generator)).map { _ in
                        alphabet.randomElement(using: &generator) ?? 0x41
                    }
                    plain += text
                    quoted += field == 0 ? [0x22] + text + [0x22] : text
                }
                // The last record sometimes has no line end.
                if record < records - 1 || Bool.random(using: &generator) {
                    let ending = endings.randomElement(using: &generator) ?? [0x0A]
                    plain += ending
                    quoted += ending
                }
            }
            // Rows, or the error (a 0x1A first field is an end-of-file mark, and data may follow it).
            func outcome(_ bytes: [UInt8]) -> String {
                do { return "\(try csvRows(bytes))" } catch { return "\(error)" }
            }
            let fast = outcome(plain)
            let general = outcome(quoted)
            #expect(
                fast == general,
                "\(String(decoding: plain, as: UTF8.self).debugDescription) \(String(decoding: quoted, as: UTF8.self).debugDescription)")
        }
    }

    /// The fast path leaves the limits to the general loop, which reports them as before.
    @Test func plainRecordsBeyondTheLimitsAreStillRefused() throws {
        var limits = CSVReader.Limits()
        limits.maximumFields = 3
        limits.maximumRecordBytes = 10
        #expect(try csvRows(Array("a,b,c\n1234567890\n".utf8), limits: limits).map(\.cells) == [["a", "b", "c"], ["1234567890"]])
        for (text, expected) in [
            ("a,b\na,b,c,d\n", "t.csv:2: error: more than 3 fields in one record"),
            ("a\n12345678901\n", "t.csv:2: error: record longer than 10 bytes; is this really a CMS CSV file?"),
            ("a\n123456,78901\n", "t.csv:2: error: record longer than 10 bytes; is this really a CMS CSV file?"),
        ] {
            do {
                _ = try csvRows(Array(text.utf8), limits: limits)
                Issue.record("expected an error for \(text.debugDescription)")
            } catch let error as DiagnosticError {
                #expect(error.description == expected)
            }
        }
    }

    func fixedWidthRows(_ text: [UInt8], layout: FixedWidthLayout) throws -> [ReadRow] {
        var rows: [ReadRow] = []
        try text.withUnsafeBufferPointer { buffer in
            try FixedWidthReader(bytes: buffer, location: SourceLocation(file: "t.txt"), layout: layout).forEachRecord(
                isRecord: { $0.first != 0x48 }
            ) { row in
                rows.append(
                    ReadRow(number: row.number, cells: row.strings, kinds: (0..<row.count).map { row.kind($0) }, blank: row.isBlank))
            }
        }
        return rows
    }

    /// ASCII lines (whose cells borrow the line) and lines with a Windows-1252 byte past the
    /// layout (decoded byte by byte) both read as the layout's positions of each line, for lines
    /// of every length around the fields.
    @Test func fixedWidthLinesReadAtTheLayoutsPositions() throws {
        let layout = FixedWidthLayout(
            fields: [.init("A", 1...5), .init("B", 6...7), .init("C", 9...20), .init("D", 22...30)], minimumLength: 7)
        /// What the reader must give for these lines.
        func expected(_ lines: [[UInt8]]) -> [ReadRow] {
            var rows: [ReadRow] = []
            for (index, bytes) in lines.enumerated() {
                let blank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
                guard !blank, bytes.first != 0x48 else { continue }
                var row = ReadRow(number: index + 1, cells: [], kinds: [], blank: true)
                for field in layout.fields {
                    let start = min(field.range.lowerBound - 1, bytes.count)
                    let stop = min(field.range.upperBound, bytes.count)
                    let text = String(decoding: bytes[start..<stop], as: UTF8.self)
                    row.cells.append(text)
                    row.kinds.append(start < stop ? .text : .missing)
                    if text.contains(where: { $0 != " " && $0 != "\t" }) { row.blank = false }
                }
                rows.append(row)
            }
            return rows
        }
        var generator = TestGenerator(state: 7)
        let alphabet = Array("AB 09.-x\t".utf8)
        for _ in 0..<300 {
            var lines: [[UInt8]] = []
            var endings: [[UInt8]] = []
            for line in 0..<Int.random(in: 1...5, using: &generator) {
                var text = (0..<Int.random(in: 7...34, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0x41 }
                if line == 0, Bool.random(using: &generator) { text = Array("HDR x".utf8) }
                lines.append(text)
                endings.append(Bool.random(using: &generator) ? [0x0D, 0x0A] : [0x0A])
            }
            let ascii = zip(lines, endings).flatMap { $0 + $1 }
            #expect(
                try fixedWidthRows(ascii, layout: layout) == expected(lines), "\(String(decoding: ascii, as: UTF8.self).debugDescription)")
            // Padded to the layout's end and one Windows-1252 byte more: the general path.
            let decoded = lines.map { $0 + Array(repeating: 0x20, count: max(0, 30 - $0.count)) + [0xE9] }
            let general = zip(decoded, endings).flatMap { $0 + $1 }
            #expect(try fixedWidthRows(general, layout: layout) == expected(decoded))
        }
    }

    /// A blank borrowed line is blank; separators and bytes outside the fields do not count.
    @Test func borrowedRowsAreBlankByTheirCells() throws {
        #expect(try csvRows(Array(" , \t,\n".utf8)).map(\.blank) == [true])
        #expect(try csvRows(Array(",x\n".utf8)).map(\.blank) == [false])
        let layout = FixedWidthLayout(fields: [.init("A", 1...2), .init("B", 4...5)], minimumLength: 1)
        #expect(try fixedWidthRows(Array("  X  \n".utf8), layout: layout).map(\.blank) == [true])
    }
}
