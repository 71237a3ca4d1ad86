import Foundation
import RVUCore

/// Reads one dataset member's bytes into typed records, whatever its format.
package enum MemberParser {
    /// Parses `bytes` as the member described by `info`. Structural problems (no header, a
    /// missing column, an unreadable file) are thrown; row problems are in the diagnostics.
    package static func parse(_ info: MemberInfo, bytes: [UInt8], location: String) throws(DiagnosticError) -> ParsedMember {
        do {
            switch info.kind {
            case .pprrvu:
                return try read(PPRRVUSchema(), info, bytes, location) { .pprrvu($0) }
            case .gpci:
                return try read(GPCISchema(), info, bytes, location) { .gpci($0) }
            case .locco:
                return try read(LOCCOSchema(), info, bytes, location) { .locco($0) }
            case .anes:
                return try read(ANESSchema(), info, bytes, location) { .anes($0) }
            case .oppscap:
                return try read(OPPSCAPSchema(), info, bytes, location) { .oppscap($0) }
            }
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError(.unreadableMember, "cannot read the member: \(error)", at: SourceLocation(file: location))
        }
    }

    private static func read<Schema: DatasetSchema>(
        _ schema: Schema, _ info: MemberInfo, _ bytes: [UInt8], _ location: String,
        wrap: ([Schema.Record]) -> DatasetRecords
    ) throws -> ParsedMember {
        var reader = DatasetReader(schema: schema, location: SourceLocation(file: location), format: info.format)
        let table: DatasetTable<Schema.Record>
        switch info.format {
        case .csv:
            table = try bytes.withUnsafeBufferPointer { try reader.readCSV($0) }
        case .txt:
            table = try bytes.withUnsafeBufferPointer { try reader.readFixedWidth($0) }
        case .xlsx:
            table = try readWorkbook(bytes, location: location, schema: schema)
        }
        var nationalCF: ExactDecimal?
        if info.kind == .anes, let label = table.headerLabels.compactMap({ $0 }).last {
            nationalCF = nationalFactor(in: label)
        }
        return ParsedMember(
            info: info, location: location, records: wrap(table.records), rowNumbers: table.rowNumbers,
            diagnostics: table.diagnostics, releasedOn: table.releasedOn, title: table.title,
            notices: table.notices, nationalAnesthesiaCF: nationalCF, bytes: bytes.count, sha256: SHA256.hex(bytes))
    }

    /// The number in a label such as `National Anes CF of 20.3178`, if any.
    static func nationalFactor(in label: String) -> ExactDecimal? {
        guard label.uppercased().contains("NATIONAL") else { return nil }
        let token = label.split(separator: " ").last.map(String.init) ?? ""
        return ExactDecimal(token)
    }
}
