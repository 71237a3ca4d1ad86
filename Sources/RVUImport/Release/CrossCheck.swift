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
        /// True when the field holds the same value in both records (typed, no text made; the
        /// records read in place, since a copy of a record costs a retain of each of its strings).
        let same: @Sendable (UnsafePointer<Record>, UnsafePointer<Record>) -> Bool
        var cutInTXT = false
        /// True when CMS's TXT abbreviates or re-spells this text (`CNTY`, `CONTRA COSTA` against
        /// the CSV's `CONTR COSTA`): a difference with the TXT is a note, not a warning.
        var respelledInTXT = false

        /// A text field.
        static func text(
            _ name: String, _ get: @escaping @Sendable (Record) -> String, cutInTXT: Bool = false, respelledInTXT: Bool = false
        ) -> Field {
            Field(
                name: name, value: get, same: { get($0.pointee) == get($1.pointee) }, cutInTXT: cutInTXT,
                respelledInTXT: respelledInTXT)
        }

        /// A decimal field, compared by value (`1` = `1.000`) and shown normalised.
        static func decimal(_ name: String, _ get: @escaping @Sendable (Record) -> ExactDecimal?) -> Field {
            Field(name: name, value: { CrossCheck.text(get($0)) }, same: { get($0.pointee) == get($1.pointee) })
        }

        /// A flag, shown as `mark` when set.
        static func flag(_ name: String, _ get: @escaping @Sendable (Record) -> Bool, mark: String) -> Field {
            Field(name: name, value: { get($0) ? mark : "" }, same: { get($0.pointee) == get($1.pointee) })
        }
    }

    /// The preferred authoritative format order.
    package static let authority: [FileFormat] = [.csv, .xlsx, .txt]

    /// True when `variance` is a quirk of CMS's own files rather than a sign of damage: a text
    /// field that the TXT is known to abbreviate or re-spell (LOCCO's fee schedule area and
    /// county list), compared between the TXT and another format. Reported as a note; the
    /// authoritative format's text is kept. A missing record, a number or a code is never one.
    package static func isKnownRespelling(_ variance: Variance) -> Bool {
        guard variance.expectedFormat != variance.foundFormat,
            variance.expectedFormat == .txt || variance.foundFormat == .txt
        else { return false }
        switch variance.dataset {
        case .locco: return loccoFields.contains { $0.respelledInTXT && $0.name == variance.field }
        case .pprrvu, .gpci, .anes, .oppscap: return false
        }
    }

    /// Compares every group of members of one dataset and variant present in several formats;
    /// `compared` holds the variances of members compared already, by location.
    package static func compare(_ members: [ParsedMember], compared: [String: [Variance]] = [:]) -> [Variance] {
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
            let found = compared[work[index].other.location] ?? compare(work[index].reference, work[index].other)
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
                sameKey: { $0.pointee.hcpcs == $1.pointee.hcpcs && $0.pointee.modifier == $1.pointee.modifier }, fields: rvuFields)
        case (.gpci(let left), .gpci(let right)):
            compare(
                left, right, reference, other, key: { "\($0.mac)/\($0.locality)" },
                sameKey: { $0.pointee.mac == $1.pointee.mac && $0.pointee.locality == $1.pointee.locality }, fields: gpciFields)
        case (.locco(let left), .locco(let right)):
            compare(
                left, right, reference, other, key: { "\($0.mac)/\($0.locality)" },
                sameKey: { $0.pointee.mac == $1.pointee.mac && $0.pointee.locality == $1.pointee.locality }, fields: loccoFields)
        case (.anes(let left), .anes(let right)):
            compare(
                left, right, reference, other, key: { "\($0.mac)/\($0.locality)" },
                sameKey: { $0.pointee.mac == $1.pointee.mac && $0.pointee.locality == $1.pointee.locality }, fields: anesFields)
        case (.oppscap(let left), .oppscap(let right)):
            compare(
                left, right, reference, other,
                key: { "\($0.hcpcs)\($0.modifier.isEmpty ? "" : "-\($0.modifier)") \($0.mac)/\($0.locality)" },
                sameKey: {
                    $0.pointee.hcpcs == $1.pointee.hcpcs && $0.pointee.modifier == $1.pointee.modifier && $0.pointee.mac == $1.pointee.mac
                        && $0.pointee.locality == $1.pointee.locality
                },
                fields: oppsFields)
        default:
            []
        }
    }

    static func compare<Record>(
        _ left: [Record], _ right: [Record], _ reference: ParsedMember, _ other: ParsedMember, key: (Record) -> String,
        sameKey: (UnsafePointer<Record>, UnsafePointer<Record>) -> Bool, fields: [Field<Record>]
    ) -> [Variance] {
        var variances: [Variance] = []
        let involvesTXT = other.format == .txt || reference.format == .txt
        func variance(_ key: String, _ field: String, _ expected: String, _ found: String) -> Variance {
            Variance(
                dataset: reference.kind, variant: reference.variant, key: key, field: field, expectedFormat: reference.format,
                expected: expected, foundFormat: other.format, found: found)
        }
        // Field by field by value; as text only for fields that differ.
        func compareFields(
            _ record: UnsafePointer<Record>, _ counterpart: UnsafePointer<Record>, key recordKey: @autoclosure () -> String
        ) {
            for field in fields where !field.same(record, counterpart) {
                let expected = field.value(record.pointee)
                let found = field.value(counterpart.pointee)
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
        // Records are read in place through buffers: a copy of a record costs a retain of every
        // string in it.
        let paired = left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r -> Bool in
                guard l.count == r.count else { return false }
                guard l.count > 0, let a = l.baseAddress, let b = r.baseAddress else { return true }
                for index in l.indices where !sameKey(a + index, b + index) { return false }
                var leftKeys: [String]?
                for index in l.indices {
                    compareFields(
                        a + index, b + index,
                        key: {
                            if leftKeys == nil { leftKeys = keys(left) }
                            return leftKeys?[index] ?? key(l[index])
                        }())
                }
                return true
            }
        }
        if paired { return variances }
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
            withUnsafePointer(to: record) { a in
                withUnsafePointer(to: counterpart) { b in compareFields(a, b, key: recordKey) }
            }
        }
        for recordKey in rightKeys where !matched.contains(recordKey) {
            variances.append(variance(recordKey, "record", "missing", "present"))
        }
        return variances
    }

    static func text(_ value: ExactDecimal?) -> String { value.map { $0.normalized.description } ?? "" }

    static let rvuFields: [Field<RVURecord>] = [
        .text("DESCRIPTION", { $0.description }, cutInTXT: true),
        .text("STATUS CODE", { $0.status }),
        .flag("NOT USED FOR MEDICARE PAYMENT", { $0.notUsedForMedicarePayment }, mark: "+"),
        .decimal("WORK RVU", { $0.workRVU }),
        .decimal("NON-FAC PE RVU", { $0.nonfacilityPE }),
        .flag("NON-FAC NA INDICATOR", { $0.nonfacilityNA }, mark: "NA"),
        .decimal("FACILITY PE RVU", { $0.facilityPE }),
        .flag("FACILITY NA INDICATOR", { $0.facilityNA }, mark: "NA"),
        .decimal("MP RVU", { $0.mpRVU }),
        .decimal("NON-FACILITY TOTAL", { $0.nonfacilityTotal }),
        .decimal("FACILITY TOTAL", { $0.facilityTotal }),
        .text("PCTC IND", { $0.pctc }),
        .text("GLOB DAYS", { $0.globalDays }),
        .decimal("PRE OP", { $0.preOp }),
        .decimal("INTRA OP", { $0.intraOp }),
        .decimal("POST OP", { $0.postOp }),
        .text("MULT PROC", { $0.multProc }),
        .text("BILAT SURG", { $0.bilatSurg }),
        .text("ASST SURG", { $0.asstSurg }),
        .text("CO-SURG", { $0.coSurg }),
        .text("TEAM SURG", { $0.teamSurg }),
        .text("PRICING INDICATOR", { $0.pricingIndicator ?? "" }),
        .text("ENDO BASE", { $0.endoBase }),
        .decimal("CONV FACTOR", { $0.conversionFactor }),
        .text("PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES", { $0.supervision }),
        .text("CALCULATION FLAG", { $0.calculationFlag }),
        .text("DIAGNOSTIC IMAGING FAMILY INDICATOR", { $0.imagingFamily }),
        .decimal("NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT", { $0.oppsNonfacilityPE }),
        .decimal("FACILITY PE USED FOR OPPS PAYMENT AMOUNT", { $0.oppsFacilityPE }),
        .decimal("MP USED FOR OPPS PAYMENT AMOUNT", { $0.oppsMP }),
    ]

    static let gpciFields: [Field<GPCIRecord>] = [
        .text("STATE", { $0.state }),
        .text("LOCALITY NAME", { $0.name }, cutInTXT: true),
        .decimal("PW GPCI", { $0.workGPCI }),
        .decimal("PW GPCI (without 1.0 floor)", { $0.workGPCIWithoutFloor }),
        .decimal("PE GPCI", { $0.peGPCI }),
        .decimal("MP GPCI", { $0.mpGPCI }),
    ]

    static let loccoFields: [Field<LocalityCountyRecord>] = [
        .text("STATE", { $0.state }, cutInTXT: true),
        .text("FEE SCHEDULE AREA", { $0.feeScheduleArea }, cutInTXT: true, respelledInTXT: true),
        .text("COUNTIES", { $0.counties }, cutInTXT: true, respelledInTXT: true),
    ]

    static let anesFields: [Field<AnesthesiaRecord>] = [
        .text("LOCALITY NAME", { $0.name }, cutInTXT: true),
        .decimal("ANESTHESIA CONVERSION FACTOR", { $0.conversionFactor }),
        .decimal("ANESTHESIA CONVERSION FACTOR (QUALIFYING APM)", { $0.qppConversionFactor }),
    ]

    static let oppsFields: [Field<OPPSCapRecord>] = [
        .text("PROCSTAT", { $0.status }),
        .decimal("FACILITY PRICE", { $0.facilityPrice }),
        .decimal("NON-FACILTY PRICE", { $0.nonfacilityPrice }),
    ]
}
