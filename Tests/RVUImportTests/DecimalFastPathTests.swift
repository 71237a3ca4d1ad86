import RVUCore
import Testing

@testable import RVUContainers
@testable import RVUImport

/// Decimals read by the record builders' fast path must be what the general parser reads.
@Suite struct DecimalFastPathTests {
    /// Decimals read from fields padded with spaces: the plain parser on the trimmed bytes agrees
    /// with the general parser on the whole field, wherever it accepts.
    @Test func trimmedPlainDecimalsAgreeWithTheGeneralParser() {
        var generator = TestGenerator(state: 99)
        let alphabet = Array("0123456789.-+ \tE".utf8)
        var accepted = 0
        for _ in 0..<50_000 {
            var text = (0..<Int.random(in: 0...22, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0x30 }
            if Bool.random(using: &generator) {
                text =
                    Array(repeating: 0x20, count: Int.random(in: 0...4, using: &generator))
                    + Array("\(Int.random(in: -99999...99999, using: &generator))".utf8) + [0x2E]
                    + Array("\(Int.random(in: 0...9999, using: &generator))".utf8)
                    + Array(repeating: 0x20, count: Int.random(in: 0...4, using: &generator))
            }
            text.withUnsafeBufferPointer { bytes in
                guard let fast = ExactDecimal.parsePlain(RowContext.trimmingSpaces(bytes)) else { return }
                accepted += 1
                let general = ExactDecimal.parse(bytes, allowExponent: false)
                #expect(general.map { $0.isIdentical(to: fast) } == true, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
                let exponent = ExactDecimal.parse(bytes, allowExponent: true)
                #expect(exponent.map { $0.isIdentical(to: fast) } == true)
            }
        }
        #expect(accepted > 10_000)
    }

    /// `RowContext.decimal` (its fast path for plain text cells, its general path for the rest)
    /// against the general parser applied as the method documents: blank is nil, text that is not
    /// a number is an error, an implied scale applies to whole numbers, and a spreadsheet
    /// number cell may use an exponent and is rounded to the column's scale.
    @Test func rowDecimalsAreWhatTheGeneralParserReads() {
        var generator = TestGenerator(state: 3)
        let alphabet = Array("0123456789.- \tE".utf8)
        let spec = ColumnSpec("N", kind: .decimal(scale: 2))
        for _ in 0..<20_000 {
            var text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0x30 }
            if Bool.random(using: &generator) {
                text = Array("\(Int.random(in: -999...999, using: &generator)).\(Int.random(in: 0...999, using: &generator))".utf8)
            }
            let kind: Row.CellKind = Int.random(in: 0..<4, using: &generator) == 0 ? .number : .text
            let impliedScale: Int? = Bool.random(using: &generator) ? nil : 2
            var row = Row()
            row.reset(number: 1)
            row.beginCell(at: 0, kind: kind)
            text.withUnsafeBufferPointer { row.appendBytes($0) }
            row.endCell()
            var context = RowContext(specs: [spec], columns: [0], format: .csv, location: SourceLocation(file: "t.csv"))
            let value = context.decimal(row, 0, impliedScale: impliedScale)
            let blank = text.allSatisfy { $0 == 0x20 || $0 == 0x09 }
            var expected = text.withUnsafeBufferPointer { ExactDecimal.parse($0, allowExponent: kind == .number) }
            if let parsed = expected, let impliedScale, parsed.scale == 0 {
                expected = ExactDecimal(units: parsed.units, scale: impliedScale)
            }
            if let parsed = expected, kind == .number, parsed.scale > 2 { expected = parsed.rounded(toScale: 2) }
            let label = "\(String(decoding: text, as: UTF8.self).debugDescription) \(kind) \(String(describing: impliedScale))"
            #expect(value.map { v in expected.map { v.isIdentical(to: $0) } ?? false } ?? (expected == nil), "\(label)")
            #expect(context.rowFailed == (!blank && expected == nil), "\(label)")
        }
    }
}
