import Foundation
import RVUCore

/// Writes the OPPS imaging payment caps (OPPSCAP) as CSV, TXT and XLSX: no preamble, CMS's
/// header with its `NON-FACILTY` typo, a last row starting with 0x1A; TXT lines of 38 characters.
struct OPPSCAPRenderer {
    let release: SampleRelease

    private static let header = ["HCPCS", "MOD", "PROCSTAT", "CARRIER", "LOCALITY", "FACILITY PRICE", "NON-FACILTY PRICE"]

    /// The three members.
    func members() throws -> [ArchiveMember] {
        [
            ArchiveMember(name: release.oppscapMemberName + ".csv", data: csv()),
            ArchiveMember(name: release.oppscapMemberName + ".txt", data: txt()),
            ArchiveMember(name: release.oppscapMemberName + ".xlsx", data: try xlsx()),
        ]
    }

    private func csv() -> Data {
        var writer = CSVWriter(columnCount: 7)
        writer.writeRow(OPPSCAPRenderer.header)
        for row in release.oppsCapRows {
            writer.writeRow([
                row.hcpcs, row.modifier, row.procedureStatus, row.mac, row.locality, row.facilityPrice.description,
                row.nonfacilityPrice.description,
            ])
        }
        writer.writeEndOfFileRow()
        return writer.data
    }

    private func txt() -> Data {
        var writer = FixedWidthWriter()
        for row in release.oppsCapRows {
            var record = FixedWidthRecord(length: 38)
            record.put(row.hcpcs, at: 1...5)
            record.put(row.modifier, at: 6...7)
            record.put(row.procedureStatus, at: 9...9)
            record.put(row.mac, at: 11...15)
            record.put(row.locality, at: 18...19)
            record.put(row.facilityPrice.description, at: 20...28, .right)
            record.put(row.nonfacilityPrice.description, at: 29...38, .right)
            writer.writeRecord(record)
        }
        writer.writeEndOfFileMark()
        return writer.data
    }

    /// Codes are text, except a locality without a leading zero, which CMS's workbook stores as
    /// a number (`18`, `99`); prices are numbers.
    private func xlsx() throws -> Data {
        var sheet = XLSXWriter(sheetName: release.oppscapMemberName)
        sheet.setRow(1, OPPSCAPRenderer.header.map { .text($0) })
        var rowNumber = 1
        for row in release.oppsCapRows {
            rowNumber += 1
            sheet.setRow(
                rowNumber,
                [
                    .text(row.hcpcs), row.modifier.isEmpty ? nil : .text(row.modifier), .text(row.procedureStatus),
                    .text(row.mac),
                    row.locality.hasPrefix("0") ? .text(row.locality) : XLSXNumber.codeCell(row.locality),
                    XLSXNumber.cell(row.facilityPrice, binaryDouble: row.binaryDoublesInXLSX),
                    XLSXNumber.cell(row.nonfacilityPrice, binaryDouble: row.binaryDoublesInXLSX),
                ])
        }
        sheet.setRow(rowNumber + 1, [.text("\u{1A}")])
        return try sheet.data()
    }
}
