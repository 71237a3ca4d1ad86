import RVUCore

extension MemberParser {
    /// Reads the first worksheet of an XLSX member through the schema.
    static func readWorkbook<Schema: DatasetSchema>(
        _ bytes: [UInt8], location: String, schema: Schema
    ) throws -> DatasetTable<Schema.Record> {
        let workbook = try XLSXWorkbook(bytes: bytes, location: location)
        let sheet = workbook.sheetNames.first
        var reader = DatasetReader(schema: schema, location: SourceLocation(file: location, sheet: sheet), format: .xlsx)
        return try reader.readRows { body, sizeHint in try workbook.readRows(sheet: 0, dimension: sizeHint, body) }
    }
}
