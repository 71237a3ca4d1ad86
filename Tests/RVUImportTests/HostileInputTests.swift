import Foundation
import RVUCore
import RVUPipeline
import RVUTestSupport
import Testing

@testable import RVUImport

/// Hostile and broken releases, each built here from the sample RVU26A, run through the whole
/// pipeline onto an output that already holds a catalog: every one must stop with the exact
/// error, quickly, and leave the previous catalog byte-for-byte as it was.
@Suite struct HostileInputTests {
    typealias Location = RVUCore.SourceLocation

    /// The members of the sample RVU26A, in archive order.
    static let sampleMembers: [(name: String, bytes: [UInt8])] = {
        let path = Golden.samples("releases/RVU26A.zip")
        let bytes = (try? Pipeline.readFile(path)) ?? []
        return (try? ReleaseImporter.members(ofArchive: bytes, name: "RVU26A.zip")) ?? []
    }()

    /// A catalog written once from the sample RVU25D: what every hostile run must leave alone.
    static let previousCatalog: [UInt8] = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-previous-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let options = Pipeline.RunOptions(
            source: Golden.samples("releases"), curated: Golden.samples("curated"), output: "\(folder)/RVU25D.sqlite",
            strict: false)
        _ = try? Pipeline.run(release: ReleaseID(year: 2025, quarter: .d), options: options)
        return (try? Pipeline.readFile("\(folder)/RVU25D.sqlite")) ?? []
    }()

    /// The sample RVU26A as a zip with members replaced (by name), stored instead of deflated,
    /// or added.
    static func release(
        replacing replacements: [String: [UInt8]] = [:], stored: Set<String> = [], adding extra: [(String, [UInt8])] = []
    ) throws -> [UInt8] {
        try #require(!sampleMembers.isEmpty)
        let members = sampleMembers.map { member in
            (name: member.name, bytes: replacements[member.name] ?? member.bytes, deflate: !stored.contains(member.name))
        }
        return try ArchiveAndXLSXTests.zip(members + extra.map { (name: $0.0, bytes: $0.1, deflate: true) })
    }

    /// A sample member's bytes.
    static func member(_ name: String) throws -> [UInt8] {
        try #require(sampleMembers.first { $0.name == name }?.bytes)
    }

    /// The sample XLSX member `name` with its parts replaced.
    static func workbook(_ name: String, replacing parts: [String: [UInt8]], stored: Bool = false) throws -> [UInt8] {
        let original = try member(name)
        let members = try ReleaseImporter.members(ofArchive: original, name: name).map { part in
            (name: part.name, bytes: parts[part.name] ?? part.bytes, deflate: !stored)
        }
        return try ArchiveAndXLSXTests.zip(members)
    }

    /// Runs the pipeline on `archive` (saved as `RVU26A.zip`) onto an output holding the previous
    /// catalog; returns the errors, after checking that the catalog is unchanged, that nothing
    /// else is visible beside it, and that the run took under `seconds`.
    static func errors(
        importing archive: [UInt8], limits: ImportLimits = ImportLimits(), seconds: Double = 20,
        verify: Verification = .all, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [Diagnostic] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(folder)/out", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(archive).write(to: URL(fileURLWithPath: "\(folder)/RVU26A.zip"))
        let output = "\(folder)/out/RVU26A.sqlite"
        try #require(!previousCatalog.isEmpty, sourceLocation: sourceLocation)
        try Data(previousCatalog).write(to: URL(fileURLWithPath: output))
        let options = Pipeline.RunOptions(
            source: "\(folder)/RVU26A.zip", curated: Golden.samples("curated"), output: output, strict: false, limits: limits,
            verify: verify)
        let start = ContinuousClock.now
        var diagnostics: [Diagnostic]
        do {
            diagnostics = try Pipeline.run(release: ReleaseID(year: 2026, quarter: .a), options: options).diagnostics
        } catch {
            diagnostics = [error.diagnostic]
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(seconds), "took \(elapsed)", sourceLocation: sourceLocation)
        #expect(try Pipeline.readFile(output) == previousCatalog, "the previous catalog changed", sourceLocation: sourceLocation)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: "\(folder)/out").filter { !$0.hasPrefix(".") } == ["RVU26A.sqlite"],
            "a file other than the previous catalog is visible", sourceLocation: sourceLocation)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: "\(folder)/out").allSatisfy { !$0.contains(".tmp-") },
            "a temporary file was left", sourceLocation: sourceLocation)
        return diagnostics.filter { $0.severity == .error }
    }

    static func at(_ member: String? = nil, sheet: String? = nil, line: Int? = nil, column: Int? = nil) -> Location {
        Location(file: member.map { "RVU26A.zip/\($0)" } ?? "RVU26A.zip", sheet: sheet, line: line, column: column)
    }

    /// The offset of the central-directory entry of `name`.
    static func centralEntry(_ bytes: [UInt8], named name: String) throws -> Int {
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let wanted = Array(name.utf8)
        var found: Int?
        for offset in 0..<(bytes.count - 46 - wanted.count) where bytes[offset..<offset + 4].elementsEqual(signature) {
            let length = Int(bytes[offset + 28]) | Int(bytes[offset + 29]) << 8
            if length == wanted.count, bytes[(offset + 46)..<(offset + 46 + length)].elementsEqual(wanted) {
                found = offset
                break
            }
        }
        return try #require(found)
    }

    static func littleEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    // MARK: Not a zip, or a damaged one

    @Test func anHTMLPageSavedAsAZip() throws {
        let page = Array("<!DOCTYPE html>\n<html lang=\"en\"><head><title>CMS.gov</title></head><body>Access denied</body></html>\n".utf8)
        #expect(
            try Self.errors(importing: page) == [
                .error(
                    .notAZip,
                    "this is an HTML page, not a zip archive: it starts with '<!DOCTYPE html> <html lang=\"en'; the download got a web "
                        + "page (an error or sign-in page) instead of the release, download it again",
                    at: Self.at())
            ])
    }

    @Test func aTruncatedDownload() throws {
        let archive = try Self.release()
        #expect(
            try Self.errors(importing: Array(archive.prefix(archive.count * 2 / 3))) == [
                .error(
                    .truncatedArchive,
                    "the archive is cut short: its central directory (the index at the end of a zip) is missing; "
                        + "the download was probably interrupted, download it again",
                    at: Self.at())
            ])
        #expect(
            try Self.errors(importing: []) == [.error(.notAZip, "the file is not a zip archive: it is empty", at: Self.at())])
    }

    @Test func aChangedByteIsACRCMismatch() throws {
        let name = "GPCI2026.csv"
        var archive = try Self.release(stored: [name])
        let content = try Self.member(name)
        let start = try #require((0..<archive.count).first { archive[$0...].starts(with: content) })
        let target = try #require(content.firstIndex(of: UInt8(ascii: "1")))
        archive[start + target] = UInt8(ascii: "7")
        let errors = try Self.errors(importing: archive)
        try #require(errors.count == 1)
        #expect(errors[0].code == .crcMismatch)
        #expect(errors[0].location == Self.at(name))
        #expect(errors[0].message.hasPrefix("the member's content does not match its checksum (CRC-32 "))
        #expect(errors[0].message.hasSuffix("); the archive is damaged, download it again"))
    }

    @Test func encryptedAndUnsupportedMembers() throws {
        let archive = try Self.release()
        var encrypted = archive
        encrypted[try Self.centralEntry(archive, named: "ANES2026.csv") + 8] |= 1
        #expect(
            try Self.errors(importing: encrypted) == [
                .error(
                    .encryptedMember,
                    "the member is encrypted (password-protected) and cannot be read; "
                        + "CMS does not encrypt its releases, download the archive again from cms.gov",
                    at: Self.at("ANES2026.csv"))
            ])
        var lzma = archive
        lzma[try Self.centralEntry(archive, named: "ANES2026.txt") + 10] = 14
        #expect(
            try Self.errors(importing: lzma) == [
                .error(
                    .unsupportedCompression,
                    "the member uses compression method 14 (lzma); only 0 (stored) and 8 (deflate) are supported, "
                        + "re-create the archive with ordinary zip compression",
                    at: Self.at("ANES2026.txt"))
            ])
    }

    // MARK: Zip bombs

    @Test func aMemberThatClaimsToBeHugeIsRefusedBeforeInflating() throws {
        // Bytes that do not compress, so that the claim is not one deflate could never make good.
        var state: UInt32 = 7
        let noise = (0..<200_000).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        var archive = try Self.release(replacing: ["OPPSCAP_Jan.csv": noise])
        let entry = try Self.centralEntry(archive, named: "OPPSCAP_Jan.csv")
        archive.replaceSubrange(entry + 24..<entry + 28, with: Self.littleEndian(100 << 20))
        #expect(
            try Self.errors(importing: archive, seconds: 5) == [
                .error(
                    .memberTooLarge,
                    "the member declares 104857600 uncompressed bytes, more than the limit of 64 MiB per member; "
                        + "a zip bomb? if the release is genuine, raise --max-member-mib",
                    at: Self.at("OPPSCAP_Jan.csv"))
            ])
    }

    @Test func aMemberThatLiesAboutItsSizeStopsAtTheDeclaredSize() throws {
        // 8 MiB of one repeated line declared as 1,000 bytes: inflating stops after 1,001.
        let bomb = [UInt8](repeating: UInt8(ascii: "9"), count: 8 << 20)
        var archive = try Self.release(replacing: ["OPPSCAP_Jan.csv": bomb])
        let entry = try Self.centralEntry(archive, named: "OPPSCAP_Jan.csv")
        archive.replaceSubrange(entry + 24..<entry + 28, with: Self.littleEndian(1_000))
        #expect(
            try Self.errors(importing: archive, seconds: 5) == [
                .error(
                    .sizeMismatch,
                    "the member inflates to more than the 1000 bytes the archive declares; the archive is damaged, download it again",
                    at: Self.at("OPPSCAP_Jan.csv"))
            ])
    }

    @Test func aHighlyCompressedMemberIsABomb() throws {
        let bomb = [UInt8](repeating: UInt8(ascii: "0"), count: 4 << 20)
        let errors = try Self.errors(importing: try Self.release(replacing: ["OPPSCAP_Jan.csv": bomb]), seconds: 5)
        try #require(errors.count == 1)
        #expect(errors[0].code == .compressionRatio)
        #expect(errors[0].location == Self.at("OPPSCAP_Jan.csv"))
        #expect(errors[0].message.hasPrefix("the member declares 4194304 uncompressed bytes from "))
        #expect(
            errors[0].message.hasSuffix(
                ", more than the limit of 100:1; a zip bomb? if the release is genuine, raise --max-compression-ratio"))
    }

    @Test func aBombInsideAnXLSXMemberIsCaughtByTheSameCaps() throws {
        // The XLSX is stored in the release (ratio 1:1); its sheet part is the bomb.
        let sheet = Array(
            ("<worksheet xmlns=\"\(ArchiveAndXLSXTests.mainNamespace)\"><sheetData>"
                + String(repeating: "<row><c><v>0</v></c></row>", count: 200_000) + "</sheetData></worksheet>").utf8)
        let book = try Self.workbook("ANES2026.xlsx", replacing: ["xl/worksheets/sheet1.xml": sheet])
        let errors = try Self.errors(importing: try Self.release(replacing: ["ANES2026.xlsx": book], stored: ["ANES2026.xlsx"]))
        try #require(errors.count == 1)
        #expect(errors[0].code == .compressionRatio)
        #expect(errors[0].location == Self.at("ANES2026.xlsx/xl/worksheets/sheet1.xml"))

        var small = ImportLimits()
        small.maximumMemberBytes = 1 << 20
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["ANES2026.xlsx": book]), limits: small) == [
                .error(
                    .memberTooLarge,
                    "the member declares \(sheet.count) uncompressed bytes, more than the limit of 1 MiB per member; "
                        + "a zip bomb? if the release is genuine, raise --max-member-mib",
                    at: Self.at("ANES2026.xlsx/xl/worksheets/sheet1.xml"))
            ])
    }

    @Test func theTotalCapCountsMembersAndXLSXParts() throws {
        let archive = try Self.release()
        // The sample's members inflate to about 73 KB, and its XLSX parts to more again: which
        // member tips the total over depends on which finishes first.
        var limits = ImportLimits()
        limits.maximumTotalBytes = 100_000
        let errors = try Self.errors(importing: archive, limits: limits)
        try #require(!errors.isEmpty)
        for error in errors {
            #expect(error.code == .totalTooLarge)
            #expect(error.location?.file.hasPrefix("RVU26A.zip/") == true)
            #expect(
                error.message
                    == "the release inflates to more than the limit of 100000 bytes in all (members and the parts of XLSX members); "
                    + "a zip bomb? if the release is genuine, raise --max-total-mib")
        }
        limits.maximumTotalBytes = 1 << 20
        #expect(
            try Self.errors(
                importing: try Self.release(replacing: ["OPPSCAP_Jan.csv": [UInt8](repeating: 0x41, count: 1 << 20)]), limits: limits
            ).first?.code == .totalTooLarge)
    }

    @Test func anArchiveOverTheSizeCapIsNotRead() throws {
        let archive = try Self.release()
        var limits = ImportLimits()
        limits.maximumArchiveBytes = 10_000
        let errors = try Self.errors(importing: archive, limits: limits)
        try #require(errors.count == 1)
        #expect(errors[0].code == .archiveTooLarge)
        #expect(errors[0].location?.file.hasSuffix("/RVU26A.zip") == true)
        #expect(
            errors[0].message
                == "the file is \(archive.count) bytes, more than the limit of 10000 bytes; if it is genuine, raise --max-archive-mib")
    }

    // MARK: Member names

    @Test(arguments: [
        ("../../etc/cron.d/PPRRVU.csv", "climbs out of the archive with '..'"),
        ("/tmp/GPCI2026.csv", "is an absolute path"),
        ("C:\\Windows\\GPCI2026.csv", "starts with a drive letter"),
        ("PPRRVU\u{1B}[2J\u{202E}vsc.csv", "contains control characters"),
    ])
    func unsafeMemberNamesAreRefusedAndShownEscaped(name: String, problem: String) throws {
        let shown = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\u{1B}", with: "\\u{1B}")
            .replacingOccurrences(of: "\u{202E}", with: "\\u{202E}")
        #expect(
            try Self.errors(importing: try Self.release(adding: [(name, Array("HCPCS,MOD\r\n".utf8))])) == [
                .error(
                    .unsafeMemberName,
                    "the archive has a member named \"\(shown)\", which \(problem); no CMS release has one, and such names "
                        + "are used to attack unzip tools (nothing is ever written from a member name); the archive is "
                        + "refused, download it again from cms.gov",
                    at: Self.at())
            ])
    }

    @Test func controlCharactersInPrintedLocationsAreEscaped() {
        let location = Location(file: "RVU26A.zip/a\u{7}b.xlsx", sheet: "S\u{1B}[31m\u{2066}", line: 3, column: 4)
        #expect(location.description == "RVU26A.zip/a\\u{7}b.xlsx[S\\u{1B}[31m\\u{2066}]:3:4")
        #expect(Location(file: "plain/GPCI2026.csv").description == "plain/GPCI2026.csv")
    }

    // MARK: XLSX

    @Test func billionLaughsInASheetIsNeverExpanded() throws {
        var entities = "<!ENTITY lol0 \"lol\">"
        for level in 1...12 { entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">" }
        let sheet = Array(
            ("<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [\(entities)]>\n<worksheet xmlns=\"\(ArchiveAndXLSXTests.mainNamespace)\">"
                + "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol12;</t></is></c></row></sheetData></worksheet>").utf8)
        let book = try Self.workbook("ANES2026.xlsx", replacing: ["xl/worksheets/sheet1.xml": sheet])
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["ANES2026.xlsx": book]), seconds: 5) == [
                .error(
                    .xlsxDoctype,
                    "xl/worksheets/sheet1.xml has a document type declaration (<!DOCTYPE ...>), which XLSX files never "
                        + "contain; it is refused because it could declare entities, save the workbook again from a "
                        + "spreadsheet program",
                    at: Self.at("ANES2026.xlsx", sheet: "ANES2026", line: 2))
            ])
    }

    @Test func anExternalEntityIsNeverFetched() throws {
        let strings = Array(
            ("<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/secret\"><!ENTITY local SYSTEM \"file:///etc/passwd\">]>"
                + "<sst xmlns=\"\(ArchiveAndXLSXTests.mainNamespace)\"><si><t>&xxe;&local;</t></si></sst>").utf8)
        let book = try Self.workbook("ANES2026.xlsx", replacing: ["xl/sharedStrings.xml": strings])
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["ANES2026.xlsx": book]), seconds: 5) == [
                .error(
                    .xlsxDoctype,
                    "xl/sharedStrings.xml has a document type declaration (<!DOCTYPE ...>), which XLSX files never "
                        + "contain; it is refused because it could declare entities, save the workbook again from a "
                        + "spreadsheet program",
                    at: Self.at("ANES2026.xlsx", line: 1))
            ])
    }

    @Test func aRowWithAFarOffCellIsRefusedAtOnce() throws {
        // Found while probing: one cell in column XFD per row made every row 16,384 cells wide.
        let rows = (1...50_000).map { "<row r=\"\($0)\"><c r=\"XFD\($0)\"><v>1</v></c></row>" }.joined()
        let sheet = Array(
            "<worksheet xmlns=\"\(ArchiveAndXLSXTests.mainNamespace)\"><sheetData>\(rows)</sheetData></worksheet>".utf8)
        let book = try Self.workbook("ANES2026.xlsx", replacing: ["xl/worksheets/sheet1.xml": sheet])
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["ANES2026.xlsx": book]), seconds: 5) == [
                .error(
                    .tooManyColumns,
                    "the row has a cell in column 16384, more than the limit of 1000 columns; is this really a CMS workbook? "
                        + "if it is, raise --max-fields",
                    at: Self.at("ANES2026.xlsx", sheet: "ANES2026", line: 1, column: 16384))
            ])
    }

    // MARK: Text

    /// The sample's OPPSCAP CSV with `line` added after its data (before the end-of-file mark).
    static func oppscap(appending line: String) throws -> [UInt8] {
        var bytes = try member("OPPSCAP_Jan.csv")
        let mark = try #require(bytes.lastIndex(of: 0x1A))
        bytes.insert(contentsOf: Array(line.utf8), at: mark)
        return bytes
    }

    /// The line number of a line added by ``oppscap(appending:)``.
    static func addedLine() throws -> Int {
        let bytes = try member("OPPSCAP_Jan.csv")
        let mark = try #require(bytes.lastIndex(of: 0x1A))
        return bytes[..<mark].filter { $0 == 0x0A }.count + 1
    }

    @Test func anUnterminatedQuote() throws {
        let csv = try Self.oppscap(appending: "0001F,,\"10112,00,A,1.00,2.00\r\n")
        let line = try Self.addedLine()
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["OPPSCAP_Jan.csv": csv])) == [
                .error(
                    .csvUnterminatedQuote, "unterminated quoted field: the quote opened here is never closed",
                    at: Self.at("OPPSCAP_Jan.csv", line: line, column: 3))
            ])
    }

    @Test func anOverlongRecordAndTooManyFields() throws {
        let lines = try Self.addedLine() - 1
        var limits = ImportLimits()
        limits.maximumRecordBytes = 2_048
        let long = try Self.oppscap(appending: String(repeating: "X", count: 5_000) + "\r\n")
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["OPPSCAP_Jan.csv": long]), limits: limits) == [
                .error(
                    .csvOverlongRecord, "record longer than 2048 bytes; is this really a CMS CSV file?",
                    at: Self.at("OPPSCAP_Jan.csv", line: lines + 1))
            ])
        let wide = try Self.oppscap(appending: String(repeating: ",", count: 1_500) + "\r\n")
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["OPPSCAP_Jan.csv": wide])) == [
                .error(
                    .csvTooManyFields, "more than 1000 fields in one record", at: Self.at("OPPSCAP_Jan.csv", line: lines + 1))
            ])
    }

    @Test func invalidTextEncoding() throws {
        // 0x81 is undefined in Windows-1252, and the member is not UTF-8 either.
        let csv = try Self.oppscap(appending: "0001F,,10112,00,\u{0}A,1.00,2.00\r\n").map { $0 == 0 ? 0x81 : $0 }
        let lines = try Self.addedLine() - 1
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["OPPSCAP_Jan.csv": csv])) == [
                .error(
                    .invalidEncoding, "byte 0x81 is not text in Windows-1252 or UTF-8",
                    at: Self.at("OPPSCAP_Jan.csv", line: lines + 1, column: 5))
            ])
    }

    /// A control character in a data cell (a NUL in a descriptor) is never text in CMS's files:
    /// an error at the character, in the CSV (its field) and in the TXT (its position in the
    /// line); imported, it would make a catalog its own readers refuse.
    @Test(arguments: [UInt8(0x00), 0x07, 0x1B, 0x7F])
    func aControlCharacterInADataCellIsAnError(byte: UInt8) throws {
        func edited(_ name: String) throws -> (bytes: [UInt8], line: Int) {
            let text = String(decoding: try Self.member(name), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n")
            let line = try #require(lines.firstIndex { $0.hasPrefix("A0021") }) + 1
            let bytes = Array(text.replacingOccurrences(of: "Ambulance svc", with: "Amb\u{1}ulance svc").utf8)
            return (bytes.map { $0 == 0x01 ? byte : $0 }, line)
        }
        let csv = try edited("PPRRVU2026_Jan_nonQPP.csv")
        let hex = String(format: "%02X", byte)
        let message =
            "a control character (byte 0x\(hex)) in the data, which CMS's files never hold: the file was damaged or edited; use the file as CMS published it"
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["PPRRVU2026_Jan_nonQPP.csv": csv.bytes]), verify: .csv) == [
                .error(.controlCharacter, message, at: Self.at("PPRRVU2026_Jan_nonQPP.csv", line: csv.line, column: 3))
            ])
        let txt = try edited("PPRRVU2026_Jan_nonQPP.txt")
        #expect(
            try Self.errors(importing: try Self.release(replacing: ["PPRRVU2026_Jan_nonQPP.txt": txt.bytes]), verify: .txt) == [
                .error(.controlCharacter, message, at: Self.at("PPRRVU2026_Jan_nonQPP.txt", line: txt.line, column: 11))
            ])
    }

    // MARK: Columns and values

    /// The sample's GPCI CSV with its text edited.
    static func gpci(_ edit: (String) -> String) throws -> [UInt8] {
        Array(edit(String(decoding: try member("GPCI2026.csv"), as: UTF8.self)).utf8)
    }

    @Test func missingAndDuplicatedColumns() throws {
        let missing = try Self.gpci { $0.replacingOccurrences(of: "MP GPCI", with: "MALPRACTICE") }
        let errors = try Self.errors(importing: try Self.release(replacing: ["GPCI2026.csv": missing]))
        #expect(errors.map(\.code) == [.missingColumn])
        #expect(errors.first?.message.hasPrefix("required column 'MP GPCI' not found in the header") == true)
        #expect(errors.first?.location?.file == "RVU26A.zip/GPCI2026.csv")

        let doubled = try Self.gpci { $0.replacingOccurrences(of: "MP GPCI", with: "PE GPCI") }
        let duplicate = try Self.errors(importing: try Self.release(replacing: ["GPCI2026.csv": doubled]))
        #expect(duplicate.map(\.code) == [.duplicateColumn])
        #expect(duplicate.first?.message.hasPrefix("column 'PE GPCI' appears twice (columns ") == true)
    }

    @Test func aNonNumberAndADuplicateKey() throws {
        let text = String(decoding: try Self.member("GPCI2026.csv"), as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let dataLine = try #require(lines.lastIndex { $0.split(separator: ",").count > 5 })
        var fields = lines[dataLine].components(separatedBy: ",")
        let lastNumber = try #require(fields.lastIndex { ExactDecimal($0) != nil })
        fields[lastNumber] = "N/A"
        let broken = lines
        lines[dataLine] = fields.joined(separator: ",")
        let errors = try Self.errors(importing: try Self.release(replacing: ["GPCI2026.csv": Array(lines.joined(separator: "\r\n").utf8)]))
        #expect(errors.map(\.code) == [.notANumber])
        #expect(errors.first?.location == Self.at("GPCI2026.csv", line: dataLine + 1, column: lastNumber + 1))
        #expect(errors.first?.message.hasSuffix("is not a decimal: \"N/A\"") == true)

        var repeated = broken
        repeated.insert(broken[dataLine], at: dataLine + 1)
        let duplicate = try Self.errors(
            importing: try Self.release(replacing: ["GPCI2026.csv": Array(repeated.joined(separator: "\r\n").utf8)]))
        #expect(duplicate.map(\.code) == [.duplicateKey])
        #expect(duplicate.first?.location?.file == "RVU26A.zip/GPCI2026.csv")
        #expect(duplicate.first?.location?.line == dataLine + 2)
    }
}
