import Foundation
import RVUCore
import RVUTestSupport
import Testing

@testable import RVUContainers
@testable import RVUImport

/// Record arrays are reserved from a size hint (lines of a CSV or TXT member, an XLSX sheet's
/// dimension) instead of grown by doubling, and a hint never reserves past the row limit.
@Suite struct CapacityHintTests {
    @Test(
        arguments: [
            ("A1:AF18541", 18541), ("A1", 1), ("B2:C9", 9), ("A1:AF", nil), ("", nil), ("A1:B99999999", nil), ("A1:XFD1048577", nil),
        ] as [(String, Int?)])
    func lastRowOfADimension(reference: String, expected: Int?) {
        let bytes = Array(reference.utf8)
        #expect(bytes.withUnsafeBufferPointer { XLSXSheetParser.lastRow(ofRange: $0) } == expected)
    }

    @Test(arguments: [("", 1), ("a", 1), ("a\n", 2), ("a\r\nb\r\nc", 3), ("\n\n\n", 4)])
    func linesOfAMember(text: String, expected: Int) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { DatasetTable<RVURecord>.lineCount($0) } == expected)
    }

    @Test func aHintIsCappedByTheRowLimit() {
        var limits = ImportLimits()
        limits.maximumRows = 10
        var table = DatasetTable<RVURecord>()
        ImportScope.$current.withValue(ImportScope(limits: limits, sourceName: "test")) {
            table.reserve(rows: 5_000_000)
        }
        #expect(table.records.capacity >= 10)
        #expect(table.records.capacity < 1000)
    }

    /// The sample workbook's PPRRVU sheet: its records take about the room they need.
    @Test func xlsxRecordsAreReservedFromTheDimension() throws {
        let archive = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Golden.samples("releases/RVU26A.zip"))))
        let members = try ReleaseImporter.members(ofArchive: archive, name: "RVU26A.zip")
        let (name, bytes) = try #require(
            members.first { $0.name.lowercased().hasSuffix(".xlsx") && $0.name.uppercased().contains("PPRRVU") })
        let table = try MemberParser.readWorkbook(bytes, location: name, schema: PPRRVUSchema())
        #expect(table.records.count > 0)
        #expect(table.records.capacity <= table.records.count + 16)
    }
}
