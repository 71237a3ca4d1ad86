import RVUCore

/// An XLSX workbook held in memory, read as a stream.
///
/// Opening it reads the package's zip directory, the sheet list (`xl/workbook.xml` and
/// `xl/_rels/workbook.xml.rels`) and the shared strings (`xl/sharedStrings.xml`).
/// ``readRows(sheet:chunkSize:dimension:_:)`` then inflates a worksheet in chunks and feeds them to
/// libxml2's push parser (see ``XLSXSheetParser``), so a sheet is never held whole, neither as
/// bytes nor as a tree.
package struct XLSXWorkbook: Sendable {
    /// A worksheet: its name and the package part that holds it.
    private struct Sheet: Sendable {
        let name: String
        let part: String
    }

    private let location: String
    private let archive: ZipArchive
    /// Members by lowercased name (part names are case-insensitive in a package).
    private let parts: [String: ZipArchive.Entry]
    private let sheets: [Sheet]
    private let sharedStrings: XLSXSharedStrings
    /// The most cells a row may have (``ImportLimits/maximumFields``).
    private let maximumCells: Int

    /// Opens the workbook in `bytes`; `location` labels diagnostics, e.g.
    /// "RVU24B.zip/PPRRVU24_APR.xlsx". Its parts are held to the limits of `scope` and charged to
    /// its total (the release's, for a member of one); without one, to the default limits.
    package init(bytes: [UInt8], location: String, scope: ImportScope? = nil) throws(DiagnosticError) {
        let archive = try ZipArchive(bytes: bytes, name: location, scope: scope)
        var parts: [String: ZipArchive.Entry] = [:]
        for entry in archive.entries where !entry.isDirectory {
            let key = entry.name.lowercased()
            if parts[key] == nil { parts[key] = entry }
        }
        let here = SourceLocation(file: location)
        guard let workbookPart = parts["xl/workbook.xml"] else {
            throw DiagnosticError(
                .xlsxMissingPart,
                "the workbook has no xl/workbook.xml; is this an XLSX file?",
                at: here)
        }
        let workbook = try XLSXWorkbook.collect(["sheet"], in: workbookPart, of: archive, at: here)
        var relationships: [String: (type: String, target: String)] = [:]
        if let relationshipsPart = parts["xl/_rels/workbook.xml.rels"] {
            for element in try XLSXWorkbook.collect(["Relationship"], in: relationshipsPart, of: archive, at: here) {
                guard let id = element.value("Id"), let target = element.value("Target"),
                    element.value("TargetMode") != "External"
                else { continue }
                relationships[id] = (element.value("Type") ?? "", XLSXWorkbook.resolve(target, from: "xl"))
            }
        }

        var sheets: [Sheet] = []
        for (position, element) in workbook.enumerated() {
            let id = element.attributes.first { $0.name == "id" && $0.namespace != nil }?.value
            sheets.append(
                Sheet(
                    name: element.value("name") ?? "Sheet\(position + 1)",
                    part: id.flatMap { relationships[$0]?.target } ?? "xl/worksheets/sheet\(position + 1).xml"))
        }
        if sheets.isEmpty, parts["xl/worksheets/sheet1.xml"] != nil {
            sheets.append(Sheet(name: "Sheet1", part: "xl/worksheets/sheet1.xml"))
        }

        let sharedStringsPath =
            relationships.values.first { $0.type.hasSuffix("/sharedStrings") }?.target ?? "xl/sharedStrings.xml"
        // Without the part there are no shared strings; a cell that refers to one says so.
        var sharedStrings = XLSXSharedStrings()
        if let entry = parts[sharedStringsPath.lowercased()] {
            sharedStrings = try XLSXWorkbook.typed {
                try XLSXSharedStrings(archive: archive, entry: entry, location: here)
            }
        }

        self.location = location
        self.archive = archive
        self.parts = parts
        self.sheets = sheets
        self.sharedStrings = sharedStrings
        self.maximumCells = archive.scope.limits.maximumFields
    }

    /// The worksheet names, in workbook order.
    package var sheetNames: [String] { sheets.map(\.name) }

    /// Streams the rows of a sheet in document order; the ``Row`` passed to `body` is reused.
    ///
    /// Cells are placed by their `r` reference (`AB12` is column 27), not by order; omitted
    /// cells are `.missing`. `Row.number` is the row's `r` attribute (or the previous row's + 1).
    /// Shared, inline and formula strings are `.text`; numbers are `.number` with the stored text
    /// (`0.86899999999999999`, `8.6E-2`); booleans, errors and dates are `.other`.
    /// Throws ``DiagnosticError`` for malformed or missing parts (`xlsx-malformed`,
    /// `xlsx-doctype`, `xlsx-missing-part`, and the archive's errors); an error thrown by `body`
    /// stops the parser and is rethrown as it is.
    ///
    /// `chunkSize` is how many bytes are inflated and given to the parser at a time (tests vary it).
    package func readRows(
        sheet index: Int = 0, chunkSize: Int = 1 << 18, dimension: (Int) -> Void = { _ in },
        _ body: (borrowing Row) throws -> Void
    ) throws {
        guard sheets.indices.contains(index) else {
            throw DiagnosticError(
                .xlsxMissingPart,
                sheets.isEmpty
                    ? "the workbook lists no sheets; the workbook is damaged, download it again"
                    : "the workbook has \(sheets.count) sheet\(sheets.count == 1 ? "" : "s"); there is no sheet \(index + 1)",
                at: SourceLocation(file: location))
        }
        let sheet = sheets[index]
        let sheetLocation = SourceLocation(file: location, sheet: sheet.name)
        guard let entry = parts[sheet.part.lowercased()] else {
            throw DiagnosticError(
                .xlsxMissingPart,
                "the workbook puts sheet '\(sheet.name)' in \(sheet.part), but there is no such part; "
                    + "the workbook is damaged, download it again",
                at: sheetLocation)
        }
        // A row is as wide as its last cell: one far-off cell per row (XFD1, XFD2, ...) would
        // otherwise make every row 16,384 cells wide and the sheet take minutes to read.
        let maximumCells = self.maximumCells
        try sharedStrings.withBuffers { strings, ends in
            try withoutActuallyEscaping(body) { rowBody in
                try withoutActuallyEscaping(dimension) { dimension in
                    let body: (borrowing Row) throws -> Void = { row in
                        guard row.count <= maximumCells else {
                            throw DiagnosticError(
                                .tooManyColumns,
                                "the row has a cell in column \(row.count), more than the limit of \(maximumCells) columns; "
                                    + "is this really a CMS workbook? if it is, raise --max-fields",
                                at: sheetLocation.at(line: row.number, column: row.count))
                        }
                        try rowBody(row)
                    }
                    let parser = XLSXSheetParser(
                        location: sheetLocation, part: entry.name, strings: strings, stringEnds: ends, dimension: dimension, body: body)
                    try parser.parse { feed in try archive.stream(entry, chunkSize: chunkSize, feed) }
                }
            }
        }
    }

    // MARK: Package parts

    /// The attributes of the elements named `names` in a small part.
    private static func collect(
        _ names: Set<String>, in entry: ZipArchive.Entry, of archive: ZipArchive, at location: SourceLocation
    ) throws(DiagnosticError) -> [XMLElementCollector.Element] {
        try typed {
            let collector = XMLElementCollector(location: location, part: entry.name, names: names)
            try collector.parse { feed in try archive.stream(entry, feed) }
            return collector.elements
        }
    }

    /// Runs `body`, whose only errors are diagnostics (parsing a part without a caller's handler).
    private static func typed<R>(_ body: () throws -> R) throws(DiagnosticError) -> R {
        do {
            return try body()
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError(.xlsxMalformed, "unexpected error reading the workbook: \(error)", at: nil)
        }
    }

    /// A relationship target as a part name: relative to `folder` unless it starts with `/`.
    static func resolve(_ target: String, from folder: String) -> String {
        var components = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for component in target.split(separator: "/") {
            if component == ".." {
                _ = components.popLast()
            } else if component != "." {
                components.append(component)
            }
        }
        return components.joined(separator: "/")
    }
}
