import Foundation
import RVUCore

/// Writes one PPRRVU file of a release as CSV, TXT and XLSX.
struct PPRRVURenderer {
    let release: SampleRelease
    let file: SampleRelease.RVUFile

    private var columns: [PPRRVUColumn] { PPRRVUColumn.columns(withPricingIndicator: release.hasPricingIndicator) }

    /// The three members.
    func members() throws -> [ArchiveMember] {
        [
            ArchiveMember(name: file.memberName + ".csv", data: csv()),
            ArchiveMember(name: file.memberName + ".txt", data: txt()),
            ArchiveMember(name: file.memberName + ".xlsx", data: try xlsx()),
        ]
    }

    /// The five preamble lines' text (in the third column).
    private var preamble: [String] {
        [
            "\(release.year) National Physician Fee Schedule Relative Value File \(release.monthName) Release",
            "CPT codes and descriptions only are copyright \(release.amaCopyrightYear) American Medical Association.  All Rights Reserved.  Applicable FARS/DFARS Apply. ",
            "Dental codes (D codes) are copyright \(release.adaCopyrightYears) American Dental Association.  All Rights Reserved.",
            " ",
            "RELEASED \(release.releasedOn)",
        ]
    }

    private func csv() -> Data {
        var writer = CSVWriter(columnCount: columns.count)
        for line in preamble { writer.writeRow(["", "", line]) }
        for level in 0..<5 { writer.writeRow(columns.map { $0.headerStack[level] }) }
        for row in release.rvuRows {
            writer.writeRow(columns.map { $0.csvText(row, conversionFactor: file.conversionFactor) })
        }
        writer.writeEndOfFileRow()
        return writer.data
    }

    private func txt() -> Data {
        var writer = FixedWidthWriter()
        for line in [
            "HDR CPT CODES AND DESCRIPTIONS ONLY ARE COPYRIGHT",
            "HDR \(release.amaCopyrightYear) AMERICAN MEDICAL ASSOCIATION.  ALL RIGHTS",
            "HDR RESERVED.  APPLICABLE FARS/DFARS APPLY.",
            "HDR THE FOLLOWING STATEMENT APPLIES TO ALL DENTAL",
            "HDR CODES (HCPCS START WITH LETTER D):  COPYRIGHT",
            "HDR \(release.adaCopyrightYears) AMERICAN DENTAL ASSOCIATION.  ALL RIGH",
            "HDR RESERVED.",
        ] {
            writer.writeLine(line)
        }
        for row in release.rvuRows {
            var record = FixedWidthRecord(length: PPRRVUColumn.recordLength)
            for column in columns {
                let field = column.txtField
                record.put(column.txtText(row, conversionFactor: file.conversionFactor), at: field.positions, field.alignment)
            }
            writer.writeRecord(record)
        }
        writer.writeEndOfFileMark()
        return writer.data
    }

    private func xlsx() throws -> Data {
        var sheet = XLSXWriter(sheetName: file.memberName)
        var rowNumber = 0
        for line in preamble {
            rowNumber += 1
            sheet.setRow(rowNumber, [nil, nil, .text(line)])
        }
        for level in 0..<5 {
            rowNumber += 1
            sheet.setRow(rowNumber, columns.map { column in column.headerStack[level].isEmpty ? nil : .text(column.headerStack[level]) })
        }
        for row in release.rvuRows {
            rowNumber += 1
            sheet.setRow(rowNumber, columns.map { $0.xlsxCell(row, conversionFactor: file.conversionFactor) })
        }
        rowNumber += 1
        sheet.setRow(rowNumber, [.text("\u{1A}")])
        return try sheet.data()
    }
}
