import Foundation
import RVUCore

/// The `<v>` text of numeric cells, in the two forms CMS's workbooks hold: the shortest decimal
/// (`0.5`, `19.6`, `0`) and the 17-significant-digit text of the nearest binary double
/// (`0.56000000000000005`, `33.287500000000001`) that Excel writes for some values.
enum XLSXNumber {
    /// The shortest text of `value` (`1.30` -> `1.3`, `0.00` -> `0`); no binary float involved.
    static func shortest(_ value: ExactDecimal) -> String {
        value.normalized.description
    }

    /// The nearest binary double to `value`, printed with 17 significant digits (`%.17g`),
    /// trailing zeros dropped as `%g` does (`1.30` -> `1.3`, `0.57` -> `0.56999999999999995`).
    /// This is the one place where the generator goes through `Double`, on purpose.
    static func binaryDouble(_ value: ExactDecimal) -> String {
        String(format: "%.17g", value.doubleValue)
    }

    /// `shortest` or `binaryDouble`.
    static func text(_ value: ExactDecimal, binaryDouble: Bool) -> String {
        binaryDouble ? self.binaryDouble(value) : shortest(value)
    }

    /// A numeric cell for `value`.
    static func cell(_ value: ExactDecimal, binaryDouble: Bool) -> XLSXWriter.Cell {
        .number(text(value, binaryDouble: binaryDouble))
    }

    /// A numeric cell for a code made of digits (`26`, `09` -> `9`), as CMS stores modifiers,
    /// indicators and MAC or locality numbers in some cells.
    static func codeCell(_ digits: String) -> XLSXWriter.Cell {
        guard let value = Int(digits) else { preconditionFailure("not a number: \(digits)") }
        return .number(String(value))
    }
}
