import CLibXML2
import RVUCore

/// An XLSX workbook read as a stream: its sheets listed from `xl/workbook.xml` and its
/// relationships, its shared strings loaded once, and each sheet's rows parsed with libxml2's
/// push parser fed by streaming inflate, without building a document tree.
package struct XLSXWorkbook: Sendable {
    /// The shared string table: all strings in one buffer.
    struct SharedStrings: Sendable {
        var bytes: [UInt8] = []
        /// Start offset of string i; `starts[i + 1]` (or `bytes.count`) ends it.
        var starts: [Int32] = []
    }

    private let archive: ZipArchive
    private let location: String
    private let sheets: [(name: String, part: String)]
    private let sharedStrings: SharedStrings

    /// Opens the workbook in `bytes`; `location` labels diagnostics (`RVU24B.zip/PPRRVU24_APR.xlsx`).
    package init(bytes: [UInt8], location: String) throws(DiagnosticError) {
        self.location = location
        do {
            archive = try ZipArchive(bytes: bytes, name: location)
        } catch {
            var diagnostic = error.diagnostic
            diagnostic.message = "not a readable XLSX workbook: " + diagnostic.message
            throw DiagnosticError(diagnostic)
        }
        var entries: [String: ZipArchive.Entry] = [:]
        for entry in archive.entries { entries[entry.name] = entry }
        let archive = self.archive
        func read(_ part: String) throws(DiagnosticError) -> [UInt8]? {
            guard let entry = entries[part] else { return nil }
            return try archive.contents(of: entry)
        }
        guard let workbook = try read("xl/workbook.xml") else {
            throw DiagnosticError(
                "xlsx-missing-part", "the workbook has no xl/workbook.xml; is this an XLSX file?", at: SourceLocation(file: location))
        }
        let sheetList = try XLSXWorkbook.elements(
            in: workbook, named: "sheet", location: SourceLocation(file: location, sheet: "xl/workbook.xml"))
        let relations =
            try read("xl/_rels/workbook.xml.rels").map { bytes throws(DiagnosticError) in
                try XLSXWorkbook.elements(
                    in: bytes, named: "Relationship", location: SourceLocation(file: location, sheet: "xl/_rels/workbook.xml.rels"))
            } ?? []
        func resolve(_ target: String) -> String {
            target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        var sheets: [(String, String)] = []
        for (index, sheet) in sheetList.enumerated() {
            let id = sheet["id"] ?? ""
            let target = relations.first { $0["Id"] == id }?["Target"].map(resolve) ?? "xl/worksheets/sheet\(index + 1).xml"
            sheets.append((sheet["name"] ?? "Sheet\(index + 1)", target))
        }
        if sheets.isEmpty, entries["xl/worksheets/sheet1.xml"] != nil { sheets = [("Sheet1", "xl/worksheets/sheet1.xml")] }
        self.sheets = sheets
        let sharedPart =
            relations.first { ($0["Type"] ?? "").hasSuffix("/sharedStrings") }?["Target"].map(resolve) ?? "xl/sharedStrings.xml"
        if let bytes = try read(sharedPart) {
            sharedStrings = try XLSXWorkbook.loadSharedStrings(bytes, location: SourceLocation(file: location, sheet: sharedPart))
        } else {
            sharedStrings = SharedStrings()
        }
    }

    /// The sheets' names, in workbook order.
    package var sheetNames: [String] { sheets.map(\.name) }

    /// Streams the rows of a sheet in document order. Cells are placed by their reference (`AB12`
    /// is column 27), not by their order; omitted cells are missing. Shared, inline and formula
    /// strings are text; numbers keep their stored text (`0.86899999999999999`).
    package func readRows(sheet index: Int = 0, _ body: (borrowing Row) throws -> Void) throws {
        guard sheets.indices.contains(index) else {
            throw DiagnosticError("xlsx-missing-part", "the workbook has no worksheet", at: SourceLocation(file: location))
        }
        let sheet = sheets[index]
        let sheetLocation = SourceLocation(file: location, sheet: sheet.name)
        guard let entry = archive.entries.first(where: { $0.name == sheet.part }) else {
            throw DiagnosticError("xlsx-missing-part", "the worksheet part \(sheet.part) is missing", at: sheetLocation)
        }
        try withoutActuallyEscaping(body) { body in
            let handler = SheetHandler(sharedStrings: sharedStrings, location: sheetLocation, body: body)
            let parser = XMLStreamParser(handler: handler, location: sheetLocation)
            try archive.stream(entry) { chunk in try parser.feed(chunk) }
            try parser.finish()
        }
    }

    /// The attributes of every element with a local name, from a small part.
    static func elements(in bytes: [UInt8], named name: String, location: SourceLocation) throws(DiagnosticError) -> [[String: String]] {
        let handler = AttributeCollector(name: Array(name.utf8))
        try parse(bytes, with: handler, location: location)
        return handler.found
    }

    static func loadSharedStrings(_ bytes: [UInt8], location: SourceLocation) throws(DiagnosticError) -> SharedStrings {
        let handler = SharedStringsHandler()
        try parse(bytes, with: handler, location: location)
        return handler.strings
    }

    /// Parses a whole small part with a handler.
    private static func parse(_ bytes: [UInt8], with handler: some XMLStreamHandler, location: SourceLocation) throws(DiagnosticError) {
        let parser = XMLStreamParser(handler: handler, location: location)
        do {
            try bytes.withUnsafeBytes { try parser.feed($0) }
            try parser.finish()
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError("xlsx-malformed", "\(error)", at: location)
        }
    }
}

/// Collects the attributes of elements with one name.
private final class AttributeCollector: XMLStreamHandler {
    let name: [UInt8]
    var found: [[String: String]] = []
    var failure: (any Error)?

    init(name: [UInt8]) { self.name = name }

    func startElement(_ element: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        for (index, byte) in name.enumerated() where element[index] != byte { return }
        guard element[name.count] == 0 else { return }
        var values: [String: String] = [:]
        if let attributes {
            for index in 0..<count {
                guard let localName = attributes[index * 5], let start = attributes[index * 5 + 3], let end = attributes[index * 5 + 4]
                else { continue }
                values[String(cString: localName)] = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
            }
        }
        found.append(values)
    }

    func endElement(_ name: UnsafePointer<UInt8>) {}
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// Reads `<sst><si><t>..</t></si>...`: plain and rich-text (`<r><t>`) strings, phonetic runs
/// (`<rPh>`) left out, `_xHHHH_` escapes decoded.
private final class SharedStringsHandler: XMLStreamHandler {
    var strings = XLSXWorkbook.SharedStrings()
    var failure: (any Error)?
    private var inText = false
    private var phoneticDepth = 0
    private var start = 0

    func startElement(_ name: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        if XMLName.equals(name, "si") {
            start = strings.bytes.count
            strings.starts.append(Int32(start))
        } else if XMLName.equals(name, "t") {
            inText = phoneticDepth == 0
        } else if XMLName.equals(name, "rPh") {
            phoneticDepth += 1
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        if XMLName.equals(name, "t") {
            inText = false
        } else if XMLName.equals(name, "rPh") {
            phoneticDepth -= 1
        } else if XMLName.equals(name, "si") {
            OOXMLEscapes.decode(&strings.bytes, from: start)
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inText { strings.bytes.append(contentsOf: bytes) }
    }
}

/// Turns a worksheet's `<row>`/`<c>` elements into rows.
private final class SheetHandler: XMLStreamHandler {
    private enum CellType { case number, shared, inline, formulaString, other }

    let sharedStrings: XLSXWorkbook.SharedStrings
    let location: SourceLocation
    let body: (borrowing Row) throws -> Void
    var failure: (any Error)?
    private var row = Row()
    private var nextRow = 1
    private var nextColumn = 0
    private var cellType = CellType.number
    private var capturing = false
    private var inCell = false
    private var cellStart = 0
    private var column = 0

    init(sharedStrings: XLSXWorkbook.SharedStrings, location: SourceLocation, body: @escaping (borrowing Row) throws -> Void) {
        self.sharedStrings = sharedStrings
        self.location = location
        self.body = body
    }

    func startElement(_ name: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        switch name[0] {
        case UInt8(ascii: "c") where name[1] == 0:
            inCell = true
            cellType = .number
            column = nextColumn
            if let reference = XMLName.attribute(attributes, count: count, "r") {
                var letters = 0
                var index = 0
                while index < reference.count, reference[index] >= 0x41, reference[index] <= 0x5A {
                    letters = letters * 26 + Int(reference[index] - 0x40)
                    index += 1
                }
                if letters > 0 { column = letters - 1 }
            }
            nextColumn = column + 1
            if let type = XMLName.attribute(attributes, count: count, "t"), let first = type.first {
                switch first {
                case UInt8(ascii: "s"): cellType = type.count == 1 ? .shared : .formulaString
                case UInt8(ascii: "i"): cellType = .inline
                case UInt8(ascii: "n"): cellType = .number
                default: cellType = .other
                }
            }
            row.beginCell(at: column, kind: cellType == .number ? .number : cellType == .other ? .other : .text)
            cellStart = row.bytes.count
        case UInt8(ascii: "v") where name[1] == 0:
            capturing = inCell && cellType != .inline
        case UInt8(ascii: "t") where name[1] == 0:
            capturing = inCell && cellType == .inline
        default:
            if XMLName.equals(name, "row") { startRow(attributes, count: count) }
        }
    }

    private func startRow(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        var number = nextRow
        if let reference = XMLName.attribute(attributes, count: count, "r") {
            var value = 0
            for byte in reference where byte >= 0x30 && byte <= 0x39 { value = value * 10 + Int(byte - 0x30) }
            if value > 0 { number = value }
        }
        row.reset(number: number)
        nextRow = number + 1
        nextColumn = 0
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        switch name[0] {
        case UInt8(ascii: "v") where name[1] == 0, UInt8(ascii: "t") where name[1] == 0:
            capturing = false
        case UInt8(ascii: "c") where name[1] == 0:
            finishCell()
        default:
            if XMLName.equals(name, "row") {
                do { try body(row) } catch { failure = error }
            }
        }
    }

    private func finishCell() {
        inCell = false
        capturing = false
        switch cellType {
        case .shared:
            var index = 0
            var digits = 0
            for position in cellStart..<row.bytes.count {
                let byte = row.bytes[position]
                guard byte >= 0x30, byte <= 0x39 else { continue }
                index = index * 10 + Int(byte - 0x30)
                digits += 1
            }
            row.bytes.removeSubrange(cellStart...)
            guard digits > 0, index < sharedStrings.starts.count else {
                failure = DiagnosticError(
                    "xlsx-malformed", "cell refers to shared string \(index), but the workbook has \(sharedStrings.starts.count)",
                    at: location.at(line: row.number, column: column + 1))
                return
            }
            let start = Int(sharedStrings.starts[index])
            let end = index + 1 < sharedStrings.starts.count ? Int(sharedStrings.starts[index + 1]) : sharedStrings.bytes.count
            row.bytes.append(contentsOf: sharedStrings.bytes[start..<end])
        case .inline, .formulaString:
            OOXMLEscapes.decode(&row.bytes, from: cellStart)
        case .number, .other:
            break
        }
        row.endCell()
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if capturing { row.appendBytes(bytes) }
    }
}

/// Office Open XML escapes characters XML cannot carry as `_xHHHH_` (`_x001A_` is 0x1A).
enum OOXMLEscapes {
    /// Decodes the escapes in `bytes[start...]` in place.
    static func decode(_ bytes: inout [UInt8], from start: Int) {
        guard bytes.count - start >= 7, bytes[start...].contains(UInt8(ascii: "_")) else { return }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count - start)
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "_"), index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"),
                bytes[index + 6] == UInt8(ascii: "_"), let scalar = hex(bytes[(index + 2)..<(index + 6)])
            {
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
                index += 7
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        bytes.replaceSubrange(start..., with: output)
    }

    private static func hex(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var value: UInt32 = 0
        for digit in digits {
            let nibble: UInt32
            switch digit {
            case 0x30...0x39: nibble = UInt32(digit - 0x30)
            case 0x41...0x46: nibble = UInt32(digit - 0x37)
            case 0x61...0x66: nibble = UInt32(digit - 0x57)
            default: return nil
            }
            value = value << 4 | nibble
        }
        return Unicode.Scalar(value)
    }
}
