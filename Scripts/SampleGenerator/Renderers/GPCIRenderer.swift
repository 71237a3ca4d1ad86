import Foundation
import RVUCore

/// Writes the GPCI file (Addendum E) as CSV, TXT and XLSX: a title line, a blank line, the
/// header, one row per locality, then CMS's footnote and `Note:` rows.
///
/// 2026 adds `<year> PW GPCI (without 1.0 Floor)` right after the work GPCI with the floor; in
/// the TXT it takes the next 12-character slot (134-138), moving PE to 146-150 and MP to 158-162.
struct GPCIRenderer {
    let release: SampleRelease

    private var hasWorkWithoutFloor: Bool { release.gpciRows.contains { $0.workWithoutFloor != nil } }

    /// The three members.
    func members() throws -> [ArchiveMember] {
        [
            ArchiveMember(name: release.gpciMemberName + ".csv", data: csv()),
            ArchiveMember(name: release.gpciMemberName + ".txt", data: txt()),
            ArchiveMember(name: release.gpciMemberName + ".xlsx", data: try xlsx()),
        ]
    }

    private var title: String {
        "ADDENDUM E. FINAL CY \(release.year) GEOGRAPHIC PRACTICE COST INDICES (GPCIs) BY STATE AND MEDICARE LOCALITY"
    }

    private var header: [String] {
        let year = release.year
        var labels = [
            "Medicare Administrative Contractor (MAC)", "State", "Locality Number", "Locality Name",
            "\(year) PW GPCI (with 1.0 Floor)",
        ]
        if hasWorkWithoutFloor { labels.append("\(year) PW GPCI (without 1.0 Floor)") }
        labels += ["\(year) PE GPCI", "\(year) MP GPCI"]
        return labels
    }

    private func gpcis(_ row: GPCIRow) -> [ExactDecimal] {
        var values = [row.work]
        if hasWorkWithoutFloor {
            guard let withoutFloor = row.workWithoutFloor else {
                preconditionFailure("\(row.key): every row needs a work GPCI without the floor")
            }
            values.append(withoutFloor)
        }
        return values + [row.pe, row.mp]
    }

    /// From 2025 CMS's CSV prints the work GPCIs in their shortest form (`1`, `1.5`) and the PE
    /// and MP GPCIs with three decimals (`0.860`).
    private func csv() -> Data {
        var writer = CSVWriter(columnCount: header.count)
        writer.writeRow([title])
        writer.writeBlankRow()
        writer.writeRow(header)
        for row in release.gpciRows {
            let values = gpcis(row)
            let work = values.dropLast(2).map { XLSXNumber.shortest($0) }
            let peAndMP = values.suffix(2).map(\.description)
            writer.writeRow([row.mac, row.state, row.locality, row.name] + work + peAndMP)
        }
        for line in release.gpciFootnotes { writer.writeRow(line.isEmpty ? [] : [line]) }
        writer.writeBlankRow()
        return writer.data
    }

    private func txt() -> Data {
        var writer = FixedWidthWriter()
        writer.writeLine(title)
        writer.writeLine("")
        let year = String(release.year)
        var headerLine = FixedWidthRecord(length: hasWorkWithoutFloor ? 166 : 154)
        headerLine.put("Medicare Admi State  Locality", at: 1...29)
        headerLine.put("Locality Name", at: 68...80)
        var labels = [year + " PW GPCI"]
        if hasWorkWithoutFloor { labels.append("PW w/o Floor") }
        labels += [year + " PE GPCI", year + " MP GPCI"]
        for (index, label) in labels.enumerated() {
            headerLine.put(label, at: (119 + 12 * index)...(130 + 12 * index))
        }
        writer.writeRecord(headerLine)
        for row in release.gpciRows {
            let values = gpcis(row)
            var record = FixedWidthRecord(length: 150 + 12 * (values.count - 3))
            record.put(row.mac, at: 1...5)
            record.put(row.state, at: 17...18)
            record.put(row.locality, at: 25...26)
            record.put(row.name, at: 30...121)
            for (index, value) in values.enumerated() {
                record.put(value.description, at: (122 + 12 * index)...(126 + 12 * index), .right)
            }
            writer.writeRecord(record)
        }
        for line in release.gpciFootnotes { writer.writeLine(line.trimmingTrailingSpaces) }
        writer.writeLine("")
        return writer.data
    }

    private func xlsx() throws -> Data {
        var sheet = XLSXWriter(sheetName: "Addendum E. GPCIs")
        sheet.setRow(1, [.text(title)])
        sheet.setRow(3, header.map { .text($0) })
        var rowNumber = 3
        for row in release.gpciRows {
            rowNumber += 1
            let codes: [XLSXWriter.Cell] =
                row.numericCodesInXLSX
                ? [XLSXNumber.codeCell(row.mac), .text(row.state), XLSXNumber.codeCell(row.locality)]
                : [.text(row.mac), .text(row.state), .text(row.locality)]
            let numbers = gpcis(row).map { XLSXNumber.cell($0, binaryDouble: row.binaryDoublesInXLSX) }
            sheet.setRow(rowNumber, codes + [.text(row.name)] + numbers)
        }
        for line in release.gpciFootnotes {
            rowNumber += 1
            sheet.setRow(rowNumber, line.isEmpty ? [] : [.text(line)])
        }
        return try sheet.data()
    }
}
