import Foundation
import RVUContainers
import RVUCore
import RVUImport

/// Work RVUs of a batch of visits (the app's export, `code,modifier,date,units`), each by its
/// date of service:
///
///     CSV bytes -> visits (columns found by label) -> periods of the codes asked, read once
///     -> one answer per visit, in input order -> CSV or JSON, totals
///
/// A visit that cannot be answered (unknown code, bad date, units not a number) gets its error;
/// the others are still answered. Only a file that cannot be read as CSV with those columns
/// stops the batch.
public struct VisitBatch: Sendable {
    /// The columns added after the input's.
    public static let addedColumns = ["work_rvu", "wrvu", "release_id", "carried_forward", "error"]
    /// The labels looked for in the header (any case, surrounding spaces ignored); `modifier`
    /// may be left out (no modifier).
    static let requiredLabels = ["code", "date", "units"]

    /// One visit: its cells as read (as many as the header has), and its answer or error.
    public struct Line: Sendable {
        /// The input line number (1 is the header).
        public let number: Int
        public let cells: [String]
        public var workRVU: String?
        /// Work RVU × units, exact.
        public var wrvu: ExactDecimal?
        public var releaseID: String?
        public var carriedForward: Bool?
        public var error: String?
    }

    /// The input's header, as read.
    public let header: [String]
    public private(set) var lines: [Line] = []

    /// Visits answered and not answered; the sum of the answered visits' wRVUs.
    public var totals: (answered: Int, failed: Int, wrvu: ExactDecimal) {
        var answered = 0
        var sum = ExactDecimal.zero
        for line in lines {
            guard let wrvu = line.wrvu else { continue }
            answered += 1
            sum = Self.sum(sum, wrvu) ?? sum
        }
        return (answered, lines.count - answered, sum)
    }

    /// Reads the visits at `path` and answers each from `lookup` for `variant`.
    public static func run(path: String, lookup: HistoryLookup, variant: String) throws(DiagnosticError) -> VisitBatch {
        try RegularFile.check(path)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DiagnosticError(
                .unreadableFile, "cannot read the visits: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        return try run(bytes: [UInt8](data), file: path, lookup: lookup, variant: variant)
    }

    /// Answers the visits in `bytes` (CSV named `file` in messages).
    public static func run(bytes: [UInt8], file: String, lookup: HistoryLookup, variant: String) throws(DiagnosticError) -> VisitBatch {
        let location = SourceLocation(file: file)
        var header: [String]?
        var columns: [String: Int] = [:]
        var visits: [(number: Int, cells: [String], problem: String?)] = []
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                try CSVReader(bytes: buffer, location: location).forEachRow { row in
                    guard let known = header else {
                        let labels = row.strings
                        (header, columns) = try Self.columns(of: labels, location: location.at(line: row.number))
                        return
                    }
                    if row.isBlank { return }
                    var cells: [String] = []
                    cells.reserveCapacity(known.count)
                    for column in 0..<known.count { cells.append(row.string(column)) }
                    let problem = row.count > known.count ? "\(row.count) fields where the header has \(known.count)" : nil
                    visits.append((row.number, cells, problem))
                }
            }
        } catch let error as DiagnosticError {
            throw error
        } catch {
            throw DiagnosticError(.visitsRead, "\(error)", at: location)
        }
        guard let header, let codeColumn = columns["code"], let dateColumn = columns["date"], let unitsColumn = columns["units"] else {
            throw DiagnosticError(
                .visitsHeader, "the file is empty; its first line must be the header code,modifier,date,units", at: location)
        }
        let modifierColumn = columns["modifier"]
        let periods = try lookup.periods(of: Set(visits.map { $0.cells[codeColumn] }))
        var batch = VisitBatch(header: header)
        batch.lines.reserveCapacity(visits.count)
        for visit in visits {
            var line = Line(number: visit.number, cells: visit.cells)
            defer { batch.lines.append(line) }
            if let problem = visit.problem {
                line.error = problem
                continue
            }
            let code = visit.cells[codeColumn]
            guard !HistoryLookup.trimmed(code).isEmpty else {
                line.error = "no code"
                continue
            }
            let dateText = visit.cells[dateColumn]
            guard let date = HistoryLookup.date(HistoryLookup.trimmed(dateText)) else {
                line.error = "date '\(dateText)' is not a date written YYYY-MM-DD"
                continue
            }
            let unitsText = visit.cells[unitsColumn]
            guard let units = ExactDecimal(HistoryLookup.trimmed(unitsText)), units.units >= 0 else {
                line.error = "units '\(unitsText)' is not a number of units (0 or more, as 1 or 1.5)"
                continue
            }
            let modifier = modifierColumn.map { visit.cells[$0] } ?? ""
            switch lookup.answer(code: code, modifier: modifier, variant: variant, on: date, from: periods) {
            case .failure(let reason):
                line.error = reason.description
            case .success(let answer):
                line.workRVU = answer.workRVU
                line.releaseID = answer.releaseID
                line.carriedForward = answer.carriedForward
                guard let text = answer.workRVU, let work = ExactDecimal(text) else {
                    line.error = "\(answer.releaseID) publishes no work RVU for this code"
                    continue
                }
                guard let wrvu = product(work, units) else {
                    line.error = "units '\(unitsText)' is too large"
                    continue
                }
                line.wrvu = wrvu
            }
        }
        return batch
    }

    /// The header's columns by label; a required label missing, or a label given twice or
    /// clashing with an added column, is a `visits-header` error.
    static func columns(of labels: [String], location: SourceLocation) throws(DiagnosticError) -> ([String], [String: Int]) {
        var columns: [String: Int] = [:]
        for (index, label) in labels.enumerated() {
            let name = label.trimmingCharacters(in: .whitespaces).lowercased()
            if addedColumns.contains(name) {
                throw DiagnosticError(
                    .visitsHeader, "the input has a column '\(label)', which the output adds; rename or remove it", at: location)
            }
            guard ["code", "modifier", "date", "units"].contains(name) else { continue }
            if columns[name] != nil {
                throw DiagnosticError(.visitsHeader, "two columns are labelled '\(name)'; keep one", at: location)
            }
            columns[name] = index
        }
        let missing = requiredLabels.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw DiagnosticError(
                .visitsHeader,
                "no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column; the header must name code, date and units (and modifier, when there are any)",
                at: location)
        }
        return (labels, columns)
    }

    /// `lhs` × `rhs` exactly, nil when it does not fit.
    static func product(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> ExactDecimal? {
        guard lhs.scale + rhs.scale <= ExactDecimal.maximumScale else { return nil }
        let (units, overflow) = lhs.units.multipliedReportingOverflow(by: rhs.units)
        return overflow ? nil : ExactDecimal(units: units, scale: lhs.scale + rhs.scale)
    }

    /// `lhs` + `rhs` exactly, nil when it does not fit.
    static func sum(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> ExactDecimal? {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.scaled(to: scale), let right = rhs.scaled(to: scale) else { return nil }
        let (units, overflow) = left.units.addingReportingOverflow(right.units)
        return overflow ? nil : ExactDecimal(units: units, scale: scale)
    }

    /// The output as CSV: the input's columns, then ``addedColumns``; CRLF-free, fields quoted
    /// when they hold a comma, quote or line break.
    public var csv: String {
        var output = ""
        output.reserveCapacity(lines.count * 64)
        func write(_ fields: [String]) {
            for (index, field) in fields.enumerated() {
                if index > 0 { output.append(",") }
                output.append(Self.quoted(field))
            }
            output.append("\n")
        }
        write(header + Self.addedColumns)
        for line in lines {
            write(
                line.cells + [
                    line.workRVU ?? "", line.wrvu?.description ?? "", line.releaseID ?? "",
                    line.carriedForward.map { $0 ? "true" : "false" } ?? "", line.error ?? "",
                ])
        }
        return output
    }

    /// The output as a JSON array, one object per visit: the input's columns by label, then
    /// ``addedColumns`` (decimals as numbers, null where there is none).
    public var json: JSONValue {
        .array(
            lines.map { line in
                var pairs: [(String, JSONValue)] = zip(header, line.cells).map { ($0, .string($1)) }
                pairs.append(("work_rvu", line.workRVU.map { .number($0) } ?? .null))
                pairs.append(("wrvu", line.wrvu.map { .number($0.description) } ?? .null))
                pairs.append(("release_id", .string(line.releaseID)))
                pairs.append(("carried_forward", line.carriedForward.map { .bool($0) } ?? .null))
                pairs.append(("error", .string(line.error)))
                return .object(pairs)
            })
    }

    /// One line per visit, for people: `LINE: CODE[-MOD] DATE × UNITS = WRVU wRVU (RELEASE)`.
    public var text: String {
        var output = ""
        for line in lines {
            let visit = line.cells.joined(separator: ",")
            if let error = line.error {
                output.append("\(line.number): \(visit): error: \(error)\n")
            } else {
                let carried = line.carriedForward == true ? ", carried forward" : ""
                output.append(
                    "\(line.number): \(visit): work RVU \(line.workRVU ?? "") = \(line.wrvu?.description ?? "") wRVU (\(line.releaseID ?? "")\(carried))\n"
                )
            }
        }
        return output
    }

    /// A CSV field, quoted when it must be.
    static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
