import Foundation
import GRDB
import GRDBSQLite
import RVUCore
import Synchronization

/// The diff's fast path: both files' tables read straight from their pages and merge-joined on
/// their stored records. Rows whose records are byte for byte the same are equal without being
/// decoded; only rows that differ are turned into values and compared like the SQLite path does.
/// It needs each table's rows stored in key order (the writer inserts them so); a table that is
/// not (a catalog edited by hand), or that it cannot read, is left to the SQLite path.
extension CatalogDiff {
    /// A table as laid out in one file: its B-tree's root page, and for each compared column its
    /// position in the records and whether it has REAL affinity.
    struct StoredTable {
        var rootPage: Int
        var positions: [Int]
        var realAffinity: [Bool]
    }

    /// The table deltas the fast path could compute, by table. The files are mapped and read
    /// under a read transaction on both, and closed only after it ends (closing a descriptor
    /// would drop SQLite's locks on the file).
    static func storedRecordDeltas(old: String, new: String, columns: [String: [String]]) -> [String: TableDelta] {
        let oldDescriptor = open(old, O_RDONLY | O_CLOEXEC)
        let newDescriptor = open(new, O_RDONLY | O_CLOEXEC)
        guard oldDescriptor >= 0, newDescriptor >= 0 else {
            if oldDescriptor >= 0 { close(oldDescriptor) }
            if newDescriptor >= 0 { close(newDescriptor) }
            return [:]
        }
        var deltas: [String: TableDelta] = [:]
        do {
            let connection = try RawConnection(path: old, readOnly: true)
            try connection.attach(new, as: "n")
            try connection.execute("BEGIN; SELECT count(*) FROM main.sqlite_master; SELECT count(*) FROM n.sqlite_master")
            defer { try? connection.execute("COMMIT") }
            let oldImage = try SQLiteFileImage(descriptor: oldDescriptor)
            let newImage = try SQLiteFileImage(descriptor: newDescriptor)
            var work: [(table: (table: String, key: [String], extra: [String]), columns: [String], old: StoredTable, new: StoredTable)] = []
            for table in deltaTables {
                let compared = table.key + (columns[table.table] ?? [])
                if let oldTable = try storedTable(connection, schema: "main", table: table.table, columns: compared),
                    let newTable = try storedTable(connection, schema: "n", table: table.table, columns: compared)
                {
                    work.append((table, compared, oldTable, newTable))
                }
            }
            // Tables on both cores, taken from one list (the RVU table, the longest, first); each
            // worker has its own connection for the rare rows read through SQLite.
            let next = TaskCounter(count: work.count)
            let results = Mutex<[String: TableDelta]>([:])
            let tasks = work
            DispatchQueue.concurrentPerform(iterations: min(2, tasks.count)) { _ in
                var workerConnection: RawConnection?
                while let index = next.take() {
                    let task = tasks[index]
                    do {
                        let reader =
                            try workerConnection
                            ?? {
                                let opened = try RawConnection(path: old, readOnly: true)
                                try opened.attach(new, as: "n")
                                return opened
                            }()
                        workerConnection = reader
                        let delta = try storedRecordDelta(
                            old: (oldImage, task.old), new: (newImage, task.new), connection: reader, table: task.table.table,
                            keyCount: task.table.key.count, columns: task.columns, extra: task.table.extra,
                            mark: task.table.table == "code" ? ("title_source", "curated") : nil)
                        results.withLock { $0[task.table.table] = delta }
                    } catch {
                        StageTiming.note("  \(task.table.table): read through SQLite (\(error))")
                    }
                }
            }
            deltas = results.withLock { $0 }
        } catch {
            StageTiming.note("  stored records not read (\(error))")
        }
        close(oldDescriptor)
        close(newDescriptor)
        return deltas
    }

    /// Where a table's columns are in its records; nil for a table the fast path does not read
    /// (WITHOUT ROWID, an INTEGER PRIMARY KEY, generated columns, a column missing).
    static func storedTable(_ connection: RawConnection, schema: String, table: String, columns: [String]) throws -> StoredTable? {
        let master = try RowCursor(
            connection, sql: "SELECT rootpage, sql FROM \(schema).sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
        guard master.hasRow, case .int64(let rootPage) = master.value(0).storage, case .string(let sql) = master.value(1).storage,
            !sql.uppercased().contains("WITHOUT ROWID")
        else { return nil }
        let info = try RowCursor(
            connection, sql: "SELECT name, type, pk, hidden FROM pragma_table_xinfo(?, ?)", arguments: [table, schema])
        var positions: [String: Int] = [:]
        var affinity: [String: Bool] = [:]
        var position = 0
        var primaryKeyTypes: [String] = []
        while info.hasRow {
            guard case .string(let name) = info.value(0).storage, case .int64(let hidden) = info.value(3).storage, hidden == 0 else {
                return nil
            }
            var type = ""
            if case .string(let declared) = info.value(1).storage { type = declared.uppercased() }
            if case .int64(let primaryKey) = info.value(2).storage, primaryKey > 0 { primaryKeyTypes.append(type) }
            positions[name] = position
            affinity[name] =
                !type.contains("INT") && !type.contains("CHAR") && !type.contains("CLOB") && !type.contains("TEXT")
                && !type.contains("BLOB") && !type.isEmpty
                && (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB"))
            position += 1
            try info.step()
        }
        // A lone INTEGER PRIMARY KEY is the rowid: its record column holds NULL.
        if primaryKeyTypes == ["INTEGER"] { return nil }
        var stored = StoredTable(rootPage: Int(rootPage), positions: [], realAffinity: [])
        for column in columns {
            guard let position = positions[column] else { return nil }
            stored.positions.append(position)
            stored.realAffinity.append(affinity[column] ?? false)
        }
        return stored
    }

    /// The delta of one table from stored records (see ``delta(_:table:key:values:extra:lower:upper:mark:)``
    /// for what it holds). Throws ``SQLiteFileImage/Unsupported`` when the rows are not stored in
    /// key order.
    static func storedRecordDelta(
        old: (image: SQLiteFileImage, table: StoredTable), new: (image: SQLiteFileImage, table: StoredTable),
        connection: RawConnection, table: String, keyCount: Int, columns: [String], extra: [String],
        mark: (column: String, value: String)?
    ) throws -> TableDelta {
        let oldRecords = try old.image.records(rootPage: old.table.rootPage)
        let newRecords = try new.image.records(rootPage: new.table.rootPage)
        let keyPositions = (old: Array(old.table.positions.prefix(keyCount)), new: Array(new.table.positions.prefix(keyCount)))
        try checkKeyOrder(oldRecords, old.image.bytes, keyPositions.old)
        try checkKeyOrder(newRecords, new.image.bytes, keyPositions.new)

        var delta = TableDelta()
        let reported = Array(0..<keyCount) + extra.compactMap { columns.firstIndex(of: $0) }
        let markIndex = mark.flatMap { columns.firstIndex(of: $0.column) }
        let markValue = Array((mark?.value ?? "").utf8)
        func format(_ value: DatabaseValue, _ index: Int) -> String {
            CatalogDump.format(value, scale: scales["\(table).\(columns[index])"])
        }
        // A row's compared values: decoded from its record, or read through SQLite when part of
        // the record is on overflow pages.
        func values(
            _ record: SQLiteFileImage.StoredRecord, _ parsed: StoredRecordColumns, _ side: (image: SQLiteFileImage, table: StoredTable),
            schema: String
        ) throws -> [DatabaseValue] {
            if side.table.positions.allSatisfy({ parsed.isReadable($0) }) {
                return side.table.positions.indices.map {
                    parsed.value(side.table.positions[$0], side.image.bytes, realAffinity: side.table.realAffinity[$0])
                }
            }
            let cursor = try RowCursor(
                connection, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(schema).\(table) WHERE rowid = ?",
                arguments: [String(record.rowid)])
            guard cursor.hasRow else { throw SQLiteFileImage.Unsupported(reason: "row \(record.rowid) not found") }
            return columns.indices.map { cursor.value($0) }
        }
        func noteMark(
            _ record: SQLiteFileImage.StoredRecord, _ parsed: StoredRecordColumns, _ side: (image: SQLiteFileImage, table: StoredTable),
            schema: String
        ) throws {
            guard let markIndex else { return }
            let position = side.table.positions[markIndex]
            if parsed.isReadable(position) {
                guard parsed.text(position, side.image.bytes, equals: markValue) else { return }
            } else {
                guard case .string(let text) = try values(record, parsed, side, schema: schema)[markIndex].storage,
                    text.utf8.elementsEqual(markValue)
                else { return }
            }
            // The first key column is readable: the key order check read it.
            let first = parsed.value(side.table.positions[0], side.image.bytes, realAffinity: side.table.realAffinity[0])
            delta.marked.insert(format(first, 0))
        }

        let sameLayout = old.table.positions == new.table.positions && old.table.realAffinity == new.table.realAffinity
        let oldRow = StoredRecordColumns()
        let newRow = StoredRecordColumns()
        // Equal records need only their key (and marked column) read; others are read whole.
        let limits = (
            old: (keyPositions.old + (markIndex.map { [old.table.positions[$0]] } ?? [])).max().map { $0 + 1 } ?? 0,
            new: (keyPositions.new + (markIndex.map { [new.table.positions[$0]] } ?? [])).max().map { $0 + 1 } ?? 0
        )
        func parseWhole(_ row: StoredRecordColumns, _ record: SQLiteFileImage.StoredRecord, _ bytes: UnsafeRawBufferPointer) throws {
            guard row.parse(record, in: bytes) else { throw SQLiteFileImage.Unsupported(reason: "malformed record") }
        }
        var (i, j) = (0, 0)
        var oldParsed = -1
        var newParsed = -1
        while i < oldRecords.count || j < newRecords.count {
            if i < oldRecords.count, oldParsed != i {
                guard oldRow.parse(oldRecords[i], in: old.image.bytes, limit: limits.old) else {
                    throw SQLiteFileImage.Unsupported(reason: "malformed record")
                }
                oldParsed = i
            }
            if j < newRecords.count, newParsed != j {
                guard newRow.parse(newRecords[j], in: new.image.bytes, limit: limits.new) else {
                    throw SQLiteFileImage.Unsupported(reason: "malformed record")
                }
                newParsed = j
            }
            var order = 0
            if i == oldRecords.count {
                order = 1
            } else if j == newRecords.count {
                order = -1
            } else {
                for index in 0..<keyCount {
                    order = oldRow.order(
                        keyPositions.old[index], old.image.bytes, against: newRow, keyPositions.new[index], new.image.bytes)
                    if order != 0 { break }
                }
            }
            if order >= 0 { try noteMark(newRecords[j], newRow, new, schema: "n") }
            if order <= 0 { try noteMark(oldRecords[i], oldRow, old, schema: "main") }
            if order > 0 {
                try parseWhole(newRow, newRecords[j], new.image.bytes)
                let row = try values(newRecords[j], newRow, new, schema: "n")
                delta.added.append(reported.map { format(row[$0], $0) })
                j += 1
            } else if order < 0 {
                try parseWhole(oldRow, oldRecords[i], old.image.bytes)
                let row = try values(oldRecords[i], oldRow, old, schema: "main")
                delta.removed.append(reported.map { format(row[$0], $0) })
                i += 1
            } else {
                let (a, b) = (oldRecords[i], newRecords[j])
                let identical =
                    a.isComplete && b.isComplete && a.payloadCount == b.payloadCount && sameLayout
                    && equalBytes(old.image.bytes, a.start, new.image.bytes, b.start, count: a.payloadCount)
                if !identical {
                    try parseWhole(oldRow, a, old.image.bytes)
                    try parseWhole(newRow, b, new.image.bytes)
                    let before = try values(a, oldRow, old, schema: "main")
                    let after = try values(b, newRow, new, schema: "n")
                    var changes: [FieldChange] = []
                    for index in keyCount..<columns.count where !same(before[index], after[index]) {
                        let (oldText, newText) = (format(before[index], index), format(after[index], index))
                        if oldText != newText { changes.append(FieldChange(field: columns[index], old: oldText, new: newText)) }
                    }
                    if !changes.isEmpty { delta.changed.append(((0..<keyCount).map { format(before[$0], $0) }, changes)) }
                }
                i += 1
                j += 1
            }
        }
        return delta
    }

    /// Throws unless the records, in rowid order, are in strictly increasing key order.
    private static func checkKeyOrder(
        _ records: [SQLiteFileImage.StoredRecord], _ bytes: UnsafeRawBufferPointer, _ keyPositions: [Int]
    ) throws {
        var previous = StoredRecordColumns()
        var current = StoredRecordColumns()
        let limit = (keyPositions.max() ?? 0) + 1
        for (index, record) in records.enumerated() {
            guard current.parse(record, in: bytes, limit: limit), keyPositions.allSatisfy({ current.isReadable($0) }) else {
                throw SQLiteFileImage.Unsupported(reason: "a record's key is not readable")
            }
            if index > 0 {
                var order = 0
                for position in keyPositions {
                    order = previous.order(position, bytes, against: current, position, bytes)
                    if order != 0 { break }
                }
                guard order < 0 else { throw SQLiteFileImage.Unsupported(reason: "rows not stored in key order") }
            }
            swap(&previous, &current)
        }
    }

    @inline(__always)
    private static func equalBytes(
        _ a: UnsafeRawBufferPointer, _ startA: Int, _ b: UnsafeRawBufferPointer, _ startB: Int, count: Int
    ) -> Bool {
        guard count > 0 else { return true }
        guard let baseA = a.baseAddress, let baseB = b.baseAddress else { return false }
        return memcmp(baseA + startA, baseB + startB, count) == 0
    }

    /// SQL's `IS` between two values, numbers compared by value across INTEGER and REAL.
    static func same(_ a: DatabaseValue, _ b: DatabaseValue) -> Bool {
        switch (a.storage, b.storage) {
        case (.null, .null): true
        case (.int64(let x), .int64(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.int64(let x), .double(let y)), (.double(let y), .int64(let x)): Double(x) == y
        case (.string(let x), .string(let y)): x == y
        case (.blob(let x), .blob(let y)): x == y
        default: false
        }
    }
}
