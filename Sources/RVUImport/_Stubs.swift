import RVUCore
// TEMPORARY until the archive and XLSX readers land.
package struct ZipArchive: Sendable {
    package struct Entry: Sendable { package let name: String; package let isDirectory: Bool }
    package let entries: [Entry] = []
    package init(bytes: [UInt8], name: String) throws(DiagnosticError) { throw DiagnosticError("x", "stub", at: nil) }
    package func contents(of entry: Entry) throws(DiagnosticError) -> [UInt8] { [] }
}
package struct XLSXWorkbook {
    package init(bytes: [UInt8], location: String) throws(DiagnosticError) { throw DiagnosticError("x", "stub", at: nil) }
    package var sheetNames: [String] { [] }
    package func readRows(sheet index: Int = 0, _ body: (borrowing Row) throws -> Void) throws {}
}
