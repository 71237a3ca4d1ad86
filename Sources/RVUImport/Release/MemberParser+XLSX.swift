import RVUContainers
import RVUCore

extension MemberParser {
    /// Reads the first worksheet of an XLSX member through the schema.
    static func readWorkbook<Schema: DatasetSchema>(
        _ bytes: [UInt8], location: String, schema: Schema
    ) throws -> DatasetTable<Schema.Record> {
        // The workbook's parts count toward the release's total, in the import's scope.
        let workbook = try XLSXWorkbook(bytes: bytes, location: location, scope: ImportScope.currentOrDefault(name: location))
        let sheet = workbook.sheetNames.first
        var reader = DatasetReader(schema: schema, location: SourceLocation(file: location, sheet: sheet), format: .xlsx)
        return try reader.readRows { body, sizeHint in try workbook.readRows(sheet: 0, dimension: sizeHint, body) }
    }
}
