import Dispatch
import RVUCore
import Synchronization

/// One difference between two formats of the same dataset.
public struct Variance: Sendable, Hashable, Codable {
    public let dataset: DatasetKind
    public let variant: Variant
    /// The record's key (`99213-26`, `10112/00`).
    public let key: String
    /// The field's name, or `record` for a record present in only one of the two.
    public let field: String
    /// The authoritative format and its value.
    public let expectedFormat: FileFormat
    public let expected: String
    /// The compared format and its value.
    public let foundFormat: FileFormat
    public let found: String
}

/// Compares the formats of each dataset record by record, after normalising number formatting
/// (`1` = `1.000`, spreadsheet doubles already rounded to the published scale).
///
/// CSV is the authoritative format: it is complete (the TXT cuts long county lists and names short)
/// and exact (the XLSX stores binary doubles). Where a dataset has no CSV, XLSX is used, then TXT.
package enum CrossCheck {
    /// A field compared between formats: its name, its normalised text, and whether the fixed-width
    /// layout cuts it short (then a TXT value only has to be a prefix of the other).
    struct Field<Record>: Sendable {
        let name: String
        let value: @Sendable (Record) -> String
        var cutInTXT = false
    }

    /// The preferred authoritative format order.
    package static let authority: [FileFormat] = [.csv, .xlsx, .txt]

    /// Compares every group of members of one dataset and variant present in several formats.
    package static func compare(_ members: [ParsedMember]) -> [Variance] {
        var pairs: [(reference: ParsedMember, other: ParsedMember)] = []
        let groups = Dictionary(grouping: members) { GroupKey(kind: $0.kind, variant: $0.variant) }
        for key in groups.keys.sorted() {
            guard let group = groups[key], group.count > 1,
                let reference = authority.lazy.compactMap({ format in group.first { $0.format == format } }).first
            else { continue }
            for other in group where other.format != reference.format { pairs.append((reference, other)) }
        }
        // The pairs are independent: compared on every core, reported in their order.
        let results = Mutex([[Variance]](repeating: [], count: pairs.count))
        let work = pairs
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let found = compare(work[index].reference, work[index].other)
            results.withLock { $0[index] = found }
        }
        return results.withLock { $0.flatMap { $0 } }
    }

    struct GroupKey: Hashable, Comparable {
        let kind: DatasetKind
        let variant: Variant
        static func < (lhs: GroupKey, rhs: GroupKey) -> Bool { (lhs.kind, lhs.variant) < (rhs.kind, rhs.variant) }
    }

    static func compare(_ reference: ParsedMember, _ other: ParsedMember) -> [Variance] {
        switch (reference.records, other.records) {
        case (.pprrvu(let left), .pprrvu(let right)):
            compare(
                left, right, reference, other, key: { $0.modifier.isEmpty ? $0.hcpcs : "\($0.hcpcs)-\($0.modifier)" },
                sameKey: { $0.hcpcs == $1.hcpcs && $0.modifier == $1.modifier }, fields: rvuFields)
        case (.gpci(let left), .gpci(let right)):
            compare(
                left, right, reference, other, key: { "\($0.mac)/\($0.locality)" },
                sameKey: { $0.mac == $1.mac && $0.locality == $1.locality }, fields: gpciFields)
        case (.locco(let left), .locco(let right)):
            compare(
                left, right, reference, other, key: { "\($0.mac)/\($0.locality)" },
                sameKey: { $0.mac == $1.mac && $0.locality == $1.locality }, fields: loccoFields)
        case (.anes(let left), .anes(let right)):
            compare(
                left, right, reference, other, key: { "\($0.mac)/\($0.locality)" },
                sameKey: { $0.mac == $1.mac && $0.locality == $1.locality }, fields: anesFields)
        case (.oppscap(let left), .oppscap(let right)):
            compare(
                left, right, reference, other,
                key: { "\($0.hcpcs)\($0.modifier.isEmpty ? "" : "-\($0.modifier)") \($0.mac)/\($0.locality)" },
                sameKey: { $0.hcpcs == $1.hcpcs && $0.modifier == $1.modifier && $0.mac == $1.mac && $0.locality == $1.locality },
                fields: oppsFields)
        default:
            []
        }
    }

    static func compare<Record: Equatable>(
        _ left: [Record], _ right: [Record], _ reference: ParsedMember, _ other: ParsedMember, key: (Record) -> String,
        sameKey: (Record, Record) -> Bool, fields: [Field<Record>]
    ) -> [Variance] {
        var variances: [Variance] = []
        let involvesTXT = other.format == .txt || reference.format == .txt
        func variance(_ key: String, _ field: String, _ expected: String, _ found: String) -> Variance {
            Variance(
                dataset: reference.kind, variant: reference.variant, key: key, field: field, expectedFormat: reference.format,
                expected: expected, foundFormat: other.format, found: found)
        }
        // Field by field, as text, only for records that differ at all: equal records (the
        // usual case) cost one comparison of values.
        func compareFields(_ record: Record, _ counterpart: Record, key recordKey: @autoclosure () -> String) {
            if record == counterpart { return }
            for field in fields {
                let expected = field.value(record)
                let found = field.value(counterpart)
                if expected == found { continue }
                if field.cutInTXT, involvesTXT {
                    let (long, short) = other.format == .txt ? (expected, found) : (found, expected)
                    if long.hasPrefix(short) { continue }
                }
                variances.append(variance(recordKey(), field.name, expected, found))
            }
        }
        // A key that repeats (a locality listed for two states) gets an ordinal: `12202/01 #2`.
        func keys(_ records: [Record]) -> [String] {
            var seen: [String: Int] = [:]
            return records.map { record in
                let base = key(record)
                let count = seen[base, default: 0] + 1
                seen[base] = count
                return count == 1 ? base : "\(base) #\(count)"
            }
        }
        // Formats nearly always list records in the same order: pair them by position while the
        // keys agree (ordinal keys then agree too), and match by key only when they do not.
        if left.count == right.count, zip(left, right).allSatisfy(sameKey) {
            var leftKeys: [String]?
            for index in left.indices {
                compareFields(
                    left[index], right[index],
                    key: {
                        if leftKeys == nil { leftKeys = keys(left) }
                        return leftKeys?[index] ?? key(left[index])
                    }())
            }
            return variances
        }
        let leftKeys = keys(left)
        let rightKeys = keys(right)
        var rightByKey: [String: Record] = [:]
        rightByKey.reserveCapacity(right.count)
        for (record, recordKey) in zip(right, rightKeys) { rightByKey[recordKey] = record }
        var matched = Set<String>()
        matched.reserveCapacity(left.count)
        for (record, recordKey) in zip(left, leftKeys) {
            guard let counterpart = rightByKey[recordKey] else {
                variances.append(variance(recordKey, "record", "present", "missing"))
                continue
            }
            matched.insert(recordKey)
            compareFields(record, counterpart, key: recordKey)
        }
        for recordKey in rightKeys where !matched.contains(recordKey) {
            variances.append(variance(recordKey, "record", "missing", "present"))
        }
        return variances
    }

    static func text(_ value: ExactDecimal?) -> String { value.map { $0.normalized.description } ?? "" }

    static let rvuFields: [Field<RVURecord>] = [
        Field(name: "DESCRIPTION", value: { $0.description }, cutInTXT: true),
        Field(name: "STATUS CODE", value: { $0.status }),
        Field(name: "NOT USED FOR MEDICARE PAYMENT", value: { $0.notUsedForMedicarePayment ? "+" : "" }),
        Field(name: "WORK RVU", value: { text($0.workRVU) }),
        Field(name: "NON-FAC PE RVU", value: { text($0.nonfacilityPE) }),
        Field(name: "NON-FAC NA INDICATOR", value: { $0.nonfacilityNA ? "NA" : "" }),
        Field(name: "FACILITY PE RVU", value: { text($0.facilityPE) }),
        Field(name: "FACILITY NA INDICATOR", value: { $0.facilityNA ? "NA" : "" }),
        Field(name: "MP RVU", value: { text($0.mpRVU) }),
        Field(name: "NON-FACILITY TOTAL", value: { text($0.nonfacilityTotal) }),
        Field(name: "FACILITY TOTAL", value: { text($0.facilityTotal) }),
        Field(name: "PCTC IND", value: { $0.pctc }),
        Field(name: "GLOB DAYS", value: { $0.globalDays }),
        Field(name: "PRE OP", value: { text($0.preOp) }),
        Field(name: "INTRA OP", value: { text($0.intraOp) }),
        Field(name: "POST OP", value: { text($0.postOp) }),
        Field(name: "MULT PROC", value: { $0.multProc }),
        Field(name: "BILAT SURG", value: { $0.bilatSurg }),
        Field(name: "ASST SURG", value: { $0.asstSurg }),
        Field(name: "CO-SURG", value: { $0.coSurg }),
        Field(name: "TEAM SURG", value: { $0.teamSurg }),
        Field(name: "PRICING INDICATOR", value: { $0.pricingIndicator ?? "" }),
        Field(name: "ENDO BASE", value: { $0.endoBase }),
        Field(name: "CONV FACTOR", value: { text($0.conversionFactor) }),
        Field(name: "PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES", value: { $0.supervision }),
        Field(name: "CALCULATION FLAG", value: { $0.calculationFlag }),
        Field(name: "DIAGNOSTIC IMAGING FAMILY INDICATOR", value: { $0.imagingFamily }),
        Field(name: "NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT", value: { text($0.oppsNonfacilityPE) }),
        Field(name: "FACILITY PE USED FOR OPPS PAYMENT AMOUNT", value: { text($0.oppsFacilityPE) }),
        Field(name: "MP USED FOR OPPS PAYMENT AMOUNT", value: { text($0.oppsMP) }),
    ]

    static let gpciFields: [Field<GPCIRecord>] = [
        Field(name: "STATE", value: { $0.state }),
        Field(name: "LOCALITY NAME", value: { $0.name }, cutInTXT: true),
        Field(name: "PW GPCI", value: { text($0.workGPCI) }),
        Field(name: "PW GPCI (without 1.0 floor)", value: { text($0.workGPCIWithoutFloor) }),
        Field(name: "PE GPCI", value: { text($0.peGPCI) }),
        Field(name: "MP GPCI", value: { text($0.mpGPCI) }),
    ]

    static let loccoFields: [Field<LocalityCountyRecord>] = [
        Field(name: "STATE", value: { $0.state }, cutInTXT: true),
        Field(name: "FEE SCHEDULE AREA", value: { $0.feeScheduleArea }, cutInTXT: true),
        Field(name: "COUNTIES", value: { $0.counties }, cutInTXT: true),
    ]

    static let anesFields: [Field<AnesthesiaRecord>] = [
        Field(name: "LOCALITY NAME", value: { $0.name }, cutInTXT: true),
        Field(name: "ANESTHESIA CONVERSION FACTOR", value: { text($0.conversionFactor) }),
        Field(name: "ANESTHESIA CONVERSION FACTOR (QUALIFYING APM)", value: { text($0.qppConversionFactor) }),
    ]

    static let oppsFields: [Field<OPPSCapRecord>] = [
        Field(name: "PROCSTAT", value: { $0.status }),
        Field(name: "FACILITY PRICE", value: { text($0.facilityPrice) }),
        Field(name: "NON-FACILTY PRICE", value: { text($0.nonfacilityPrice) }),
    ]
}
