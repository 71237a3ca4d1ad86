import Foundation
import RVUCore

/// Writes the locality to county crosswalk (LOCCO) as CSV, TXT and XLSX: title, blank row,
/// header (with CMS's `Adminstrative` typo), blank row, then groups per state separated by blank
/// rows, the state only on a group's first row, and a footnote line at the end.
///
/// The CSV writes MAC and locality numbers without their leading zeros (`2102`, `0`), as CMS's
/// does; the TXT keeps them, and cuts the county list at position 201.
struct LOCCORenderer {
    let release: SampleRelease

    private static let footnote = "*  Payment locality is serviced by two carriers."

    /// The three members.
    func members() throws -> [ArchiveMember] {
        [
            ArchiveMember(name: release.loccoMemberName + ".csv", data: csv()),
            ArchiveMember(name: release.loccoMemberName + ".txt", data: txt()),
            ArchiveMember(name: release.loccoMemberName + ".xlsx", data: try xlsx()),
        ]
    }

    private var title: String {
        "COUNTIES INCLUDED IN \(release.year) LOCALITIES. (ALPHABETICALLY BY STATE AND LOCALITY NAME WITHIN STATE)"
    }

    private static let header = ["Medicare Adminstrative Contractor", "Locality Number", "State ", "Fee Schedule Area ", "Counties"]

    /// `02102` -> `2102`, `00` -> `0`.
    private static func withoutLeadingZeros(_ code: String) -> String {
        guard let value = Int(code) else { preconditionFailure("not a number: \(code)") }
        return String(value)
    }

    private func csv() -> Data {
        var writer = CSVWriter(columnCount: 5)
        writer.writeRow([title])
        writer.writeBlankRow()
        writer.writeRow(LOCCORenderer.header)
        writer.writeBlankRow()
        for group in release.countyGroups {
            for (index, row) in group.rows.enumerated() {
                writer.writeRow([
                    LOCCORenderer.withoutLeadingZeros(row.mac), LOCCORenderer.withoutLeadingZeros(row.locality),
                    index == 0 ? group.state : "", row.feeScheduleArea, row.counties,
                ])
            }
            writer.writeBlankRow()
        }
        writer.writeBlankRow()
        writer.writeRow([LOCCORenderer.footnote])
        return writer.data
    }

    private func txt() -> Data {
        var writer = FixedWidthWriter()
        writer.writeLine(title)
        writer.writeLine("")
        var header = FixedWidthRecord(length: 176)
        header.put("Medicare AdmiLocality", at: 1...21)
        header.put("State", at: 31...35)
        header.put("Fee Schedule Area", at: 86...102)
        header.put("Counties", at: 169...176)
        writer.writeRecord(header)
        writer.writeLine("")
        for group in release.countyGroups {
            for (index, row) in group.rows.enumerated() {
                var record = FixedWidthRecord(length: 201)
                record.put(row.mac, at: 5...9)
                record.put(row.locality, at: 17...18)
                if index == 0 { record.put(group.state.trimmingTrailingSpaces, at: 23...45) }
                record.put(row.feeScheduleArea.trimmingTrailingSpaces, at: 46...143)
                record.put(row.counties.trimmingTrailingSpaces, at: 144...201, truncating: true)
                writer.writeRecord(record, trimmingTrailingSpaces: true)
            }
            writer.writeLine("")
        }
        writer.writeLine("")
        writer.writeLine(LOCCORenderer.footnote)
        return writer.data
    }

    private func xlsx() throws -> Data {
        var sheet = XLSXWriter(sheetName: release.loccoMemberName)
        sheet.setRow(1, [.text(title)])
        sheet.setRow(3, LOCCORenderer.header.map { .text($0) })
        var rowNumber = 4
        for group in release.countyGroups {
            for (index, row) in group.rows.enumerated() {
                rowNumber += 1
                let codes: [XLSXWriter.Cell] =
                    row.numericCodesInXLSX
                    ? [XLSXNumber.codeCell(row.mac), XLSXNumber.codeCell(row.locality)]
                    : [.text(row.mac), .text(row.locality)]
                sheet.setRow(
                    rowNumber, codes + [index == 0 ? .text(group.state) : nil, .text(row.feeScheduleArea), .text(row.counties)])
            }
            rowNumber += 1
        }
        rowNumber += 1
        sheet.setRow(rowNumber, [.text(LOCCORenderer.footnote)])
        return try sheet.data()
    }
}
