import RVUCore
import Testing

@testable import RVUContainers
@testable import RVUImport

/// The row buffer, the packed record keys and the value-set lookups that the record builders
/// use on every cell.
@Suite struct RowAndKeyTests {
    @Test func cellsGapsRepeatsAndGrowth() {
        var row = Row()
        row.reset(number: 7)
        row.beginCell(at: 2, kind: .number)
        "1.5".utf8.forEach { row.appendByte($0) }
        row.endCell()
        row.beginCell(at: 2, kind: .text)
        row.appendScalar("\u{2019}")
        row.appendScalar("\u{1F600}")
        row.endCell()
        let count = row.count
        let strings = row.strings
        let kinds = (0..<4).map { row.kind($0) }
        #expect(count == 3)
        #expect(strings == ["", "", "\u{2019}\u{1F600}"], "a repeated cell starts afresh and wins")
        #expect(kinds == [.missing, .missing, .text, .missing])

        // More text and more columns than the first buffers hold.
        row.reset(number: 8)
        let long = String(repeating: "abcdefghij", count: 300)
        for column in 0..<200 {
            var text = column == 150 ? long : "  c\(column)\t"
            text.withUTF8 { row.append($0) }
        }
        let (grownCount, number, longCell, trimmed) = (row.count, row.number, row.string(150), row.trimmed(199))
        let (trimmedBytes, beyond, blank) = (Array(row.trimmedCell(3)), row.cell(500).isEmpty, row.isBlank)
        #expect(grownCount == 200)
        #expect(number == 8)
        #expect(longCell == long)
        #expect(trimmed == "c199")
        #expect(trimmedBytes == Array("c3".utf8))
        #expect(beyond)
        #expect(!blank)
    }

    @Test func escapesDecodeInPlace() {
        var row = Row()
        row.reset(number: 1)
        row.beginCell(at: 0, kind: .text)
        var text = "a_x001A_b_x005F_x0041_"
        text.withUTF8 { row.appendBytes($0) }
        row.decodeEscapes(from: 0)
        row.endCell()
        let strings = row.strings
        #expect(strings == ["a\u{1A}b_x0041_"])
    }

    @Test func valueSetsGiveTheirOwnStrings() {
        let set: ValueSet = ["", "01", "6A", "A LONG VALUE"]
        for text in ["", "01", "6A", "A LONG VALUE", "02", "6a", "A LONG VALU", "0"] {
            var bytes = text
            let found = bytes.withUTF8 { set.value(of: $0) }
            #expect(found == (set.contains(text) ? text : nil), "\"\(text)\"")
        }
        #expect(set.contains("A LONG VALUE"))
        #expect(!set.contains("1"))
    }
}
