import Foundation
import RVUCore

/// Writes the anesthesia conversion factors (ANES) as CSV, TXT and XLSX.
///
/// The CSV follows the 2025 layout: the last label names the national factor
/// (`National Anes CF of 20.3178`), MAC, locality and factor are padded with a trailing space
/// (`10112 ,00 ,ALABAMA,19.31 `), and a last row starts with the byte 0x1A. The TXT has no header,
/// writes the factor with two implied decimals at 74-77 (`1931`) and ends with 0x1A.
struct ANESRenderer {
    let release: SampleRelease

    /// The three members.
    func members() throws -> [ArchiveMember] {
        [
            ArchiveMember(name: release.anesMemberName + ".csv", data: csv()),
            ArchiveMember(name: release.anesMemberName + ".txt", data: txt()),
            ArchiveMember(name: release.anesMemberName + ".xlsx", data: try xlsx()),
        ]
    }

    private var header: [String] {
        ["Contractor", "Locality", "Locality Name", "National Anes CF of \(release.nationalAnesthesiaConversionFactor)"]
    }

    private func csv() -> Data {
        var writer = CSVWriter(columnCount: 4)
        writer.writeRow(header)
        for row in release.anesthesiaRows {
            writer.writeRow([row.mac + " ", row.locality + " ", row.name, row.conversionFactor.description + " "])
        }
        writer.writeEndOfFileRow()
        return writer.data
    }

    private func txt() -> Data {
        var writer = FixedWidthWriter()
        for row in release.anesthesiaRows {
            let factor = row.conversionFactor
            precondition(factor.scale == 2, "\(row.mac)/\(row.locality): anesthesia factors have 2 decimals")
            var record = FixedWidthRecord(length: 77)
            record.put(row.mac, at: 1...5)
            record.put(row.locality, at: 13...14)
            record.put(row.name, at: 19...58, truncating: true)
            record.put(String(factor.units), at: 74...77, .right)
            writer.writeRecord(record)
        }
        writer.writeEndOfFileMark()
        return writer.data
    }

    /// MAC and locality stay text with the CSV's padding; the factor is a number.
    private func xlsx() throws -> Data {
        var sheet = XLSXWriter(sheetName: release.anesMemberName)
        sheet.setRow(1, header.map { .text($0) })
        var rowNumber = 1
        for row in release.anesthesiaRows {
            rowNumber += 1
            sheet.setRow(
                rowNumber,
                [
                    .text(row.mac + " "), .text(row.locality + " "), .text(row.name),
                    XLSXNumber.cell(row.conversionFactor, binaryDouble: row.binaryDoubleInXLSX),
                ])
        }
        sheet.setRow(rowNumber + 1, [.text("\u{1A}")])
        return try sheet.data()
    }
}
