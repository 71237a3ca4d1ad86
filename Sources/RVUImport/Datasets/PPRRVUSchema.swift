import RVUContainers
import RVUCore

/// The PPRRVU (relative value) file: 31 columns in 2023–2025, 32 from 2026 (a pricing indicator
/// after TEAM SURG). Columns are found by label; the TXT layout is the readme's record layout.
package struct PPRRVUSchema: DatasetSchema {
    package typealias Record = RVURecord

    enum Field: Int, CaseIterable {
        case hcpcs, modifier, description, status, notUsed, work, nonfacilityPE, nonfacilityNA, facilityPE,
            facilityNA, mp, nonfacilityTotal, facilityTotal, pctc, globalDays, preOp, intraOp, postOp, multProc,
            bilatSurg, asstSurg, coSurg, teamSurg, pricingIndicator, endoBase, conversionFactor, supervision,
            calculationFlag, imagingFamily, oppsNonfacilityPE, oppsFacilityPE, oppsMP
    }

    package static let kind = DatasetKind.pprrvu

    package static let columns: [ColumnSpec] = Field.allCases.map { field in
        switch field {
        case .hcpcs: ColumnSpec("HCPCS", aliases: ["HCPCS CODE"], kind: .code(width: 5), fixed: 1...5)
        case .modifier: ColumnSpec("MOD", aliases: ["MODIFIER"], kind: .code(width: 2), fixed: 6...7)
        case .description:
            ColumnSpec("DESCRIPTION", matches: { $0.hasSuffix("DESCRIPTION") }, kind: .text, fixed: 8...57)
        case .status: ColumnSpec("STATUS CODE", aliases: ["STATUS", "STATUS IND"], kind: .code(width: 1), fixed: 58...58)
        case .notUsed:
            ColumnSpec(
                "NOT USED FOR MEDICARE PAYMENT", matches: { $0.hasPrefix("NOTUSED") }, kind: .flag, required: false,
                fixed: 59...59)
        case .work: ColumnSpec("WORK RVU", kind: .decimal(scale: 2), fixed: 60...65)
        case .nonfacilityPE:
            ColumnSpec("NON-FAC PE RVU", aliases: ["NON-FACILITY PE RVU", "NONFAC PE RVU"], kind: .decimal(scale: 2), fixed: 67...72)
        case .nonfacilityNA:
            ColumnSpec(
                "NON-FAC NA INDICATOR", aliases: ["NON-FACILITY NA INDICATOR", "NON-FAC NA IND"], kind: .flag, fixed: 73...74)
        case .facilityPE: ColumnSpec("FACILITY PE RVU", kind: .decimal(scale: 2), fixed: 76...81)
        case .facilityNA:
            ColumnSpec("FACILITY NA INDICATOR", aliases: ["FACILITY NA IND"], kind: .flag, fixed: 82...83)
        case .mp: ColumnSpec("MP RVU", aliases: ["MALPRACTICE RVU", "PLI RVU"], kind: .decimal(scale: 2), fixed: 85...89)
        case .nonfacilityTotal:
            ColumnSpec("NON-FACILITY TOTAL", aliases: ["NON-FAC TOTAL"], kind: .decimal(scale: 2), fixed: 91...96)
        case .facilityTotal: ColumnSpec("FACILITY TOTAL", kind: .decimal(scale: 2), fixed: 97...102)
        case .pctc: ColumnSpec("PCTC IND", aliases: ["PCTC", "PC/TC IND", "PCTC INDICATOR"], kind: .code(width: 1), fixed: 103...103)
        case .globalDays: ColumnSpec("GLOB DAYS", aliases: ["GLOBAL DAYS", "GLOB"], kind: .code(width: 3), fixed: 104...106)
        case .preOp: ColumnSpec("PRE OP", kind: .decimal(scale: 2), required: false, fixed: 107...109)
        case .intraOp: ColumnSpec("INTRA OP", kind: .decimal(scale: 2), required: false, fixed: 110...112)
        case .postOp: ColumnSpec("POST OP", kind: .decimal(scale: 2), required: false, fixed: 113...115)
        case .multProc: ColumnSpec("MULT PROC", kind: .code(width: 1), fixed: 116...116)
        case .bilatSurg: ColumnSpec("BILAT SURG", kind: .code(width: 1), fixed: 117...117)
        case .asstSurg: ColumnSpec("ASST SURG", kind: .code(width: 1), fixed: 118...118)
        case .coSurg: ColumnSpec("CO-SURG", kind: .code(width: 1), fixed: 119...119)
        case .teamSurg: ColumnSpec("TEAM SURG", kind: .code(width: 1), fixed: 120...120)
        case .pricingIndicator:
            ColumnSpec(
                "PRICING INDICATOR",
                matches: { ($0.contains("PRICING") && $0.contains("IND")) || $0.contains("QPIND") || $0.contains("QPPIND") },
                kind: .code(width: 1), required: false, fixed: 121...121)
        case .endoBase: ColumnSpec("ENDO BASE", aliases: ["ENDOBASE"], kind: .code(width: 5), required: false, fixed: 128...132)
        case .conversionFactor:
            ColumnSpec("CONV FACTOR", aliases: ["CONVERSION FACTOR"], kind: .decimal(scale: 4), fixed: 133...140)
        case .supervision:
            ColumnSpec(
                "PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES", matches: { $0.contains("SUPERVISION") },
                kind: .code(width: 2), required: false, fixed: 142...143)
        case .calculationFlag:
            ColumnSpec("CALCULATION FLAG", kind: .code(width: 1), required: false, fixed: 144...144)
        case .imagingFamily:
            ColumnSpec(
                "DIAGNOSTIC IMAGING FAMILY INDICATOR", matches: { $0.contains("IMAGINGFAMILY") }, kind: .code(width: 2),
                required: false, fixed: 146...147)
        case .oppsNonfacilityPE:
            ColumnSpec(
                "NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT",
                matches: { $0.contains("OPPS") && $0.contains("PE") && $0.hasPrefix("NONFAC") },
                kind: .decimal(scale: 2), required: false, fixed: 152...157)
        case .oppsFacilityPE:
            ColumnSpec(
                "FACILITY PE USED FOR OPPS PAYMENT AMOUNT",
                matches: { $0.contains("OPPS") && $0.contains("PE") && $0.hasPrefix("FAC") },
                kind: .decimal(scale: 2), required: false, fixed: 159...164)
        case .oppsMP:
            ColumnSpec(
                "MP USED FOR OPPS PAYMENT AMOUNT", matches: { $0.contains("OPPS") && $0.hasPrefix("MP") },
                kind: .decimal(scale: 2), required: false, fixed: 166...171)
        }
    }

    package static let headerFields = [Field.hcpcs.rawValue, Field.modifier.rawValue, Field.description.rawValue]

    // MARK: Documented value sets

    /// Status codes (readme, Attachment A). Anything else is an error.
    package static let statusCodes: ValueSet = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "M", "N", "P", "R", "T", "X",
    ]
    /// Global surgery periods.
    package static let globalDayValues: ValueSet = ["000", "010", "090", "MMM", "XXX", "YYY", "ZZZ"]
    package static let pctcValues = ValueSet((0...9).map(String.init))
    package static let multProcValues: ValueSet = ["0", "1", "2", "3", "4", "5", "6", "7", "9"]
    package static let bilatValues: ValueSet = ["0", "1", "2", "3", "9"]
    package static let surgeryValues: ValueSet = ["0", "1", "2", "9"]
    package static let pricingIndicatorValues: ValueSet = ["", "1", "9"]
    package static let supervisionValues: ValueSet = [
        "", "01", "02", "03", "04", "05", "06", "09", "21", "22", "66", "6A", "77", "7A",
    ]
    package static let calculationFlagValues: ValueSet = ["", "0"]
    package static let imagingFamilyValues = ValueSet(
        [""] + (1...11).map { $0 < 10 ? "0\($0)" : "\($0)" } + ["88", "99"])
    package static let naValues: ValueSet = ["", "NA"]
    package static let notUsedValues: ValueSet = ["", "+"]

    package static func isFixedWidthRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        // Every non-blank line but the `HDR ` header lines.
        !(line.count >= 4 && line[0] == 0x48 && line[1] == 0x44 && line[2] == 0x52 && line[3] == 0x20)
    }

    /// Code and modifier keys seen (`99213-26`).
    private var keys = DuplicateFinder<String>()
    /// Rows whose codes lost their leading zeros; only the first is reported.
    private var lostZeros = 0

    // The value sets, held by each parser: a static is reached through its lazy initialiser's
    // check on every use, a dozen times a row.
    private let statuses = PPRRVUSchema.statusCodes
    private let globalDays = PPRRVUSchema.globalDayValues
    private let pctcs = PPRRVUSchema.pctcValues
    private let multProcs = PPRRVUSchema.multProcValues
    private let bilats = PPRRVUSchema.bilatValues
    private let surgeries = PPRRVUSchema.surgeryValues
    private let pricingIndicators = PPRRVUSchema.pricingIndicatorValues
    private let supervisions = PPRRVUSchema.supervisionValues
    private let calculationFlags = PPRRVUSchema.calculationFlagValues
    private let imagingFamilies = PPRRVUSchema.imagingFamilyValues
    private let nas = PPRRVUSchema.naValues
    private let notUseds = PPRRVUSchema.notUsedValues

    package init() {}

    package mutating func record(from row: borrowing Row, _ context: inout RowContext) -> RVURecord? {
        typealias F = Field
        guard let hcpcs = context.hcpcs(row, F.hcpcs.rawValue, lostZeros: &lostZeros) else { return nil }
        var record = RVURecord(hcpcs: hcpcs, modifier: context.code(row, F.modifier.rawValue))
        record.description = context.text(row, F.description.rawValue)
        // Indicators are looked up in their value sets as they are read, and reported below.
        let status = context.text(row, F.status.rawValue, in: statuses)
        record.status = status.value
        let globalDays = context.code(row, F.globalDays.rawValue, in: globalDays)
        record.globalDays = globalDays.value
        if !globalDays.known, record.globalDays.utf8.count < 3, !record.globalDays.isEmpty,
            record.globalDays.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        {
            context.lostLeadingZeros(
                row, F.globalDays.rawValue,
                "codes lost their leading zeros: 'GLOB DAYS' is \"\(record.globalDays)\" (published as 3 digits, e.g. 090); the file was probably re-saved by a spreadsheet: use the file as CMS published it",
                seen: &lostZeros)
            return nil
        }
        let notUsed = context.text(row, F.notUsed.rawValue, in: notUseds)
        record.notUsedForMedicarePayment = notUsed.value == "+"
        record.workRVU = context.decimal(row, F.work.rawValue)
        record.nonfacilityPE = context.decimal(row, F.nonfacilityPE.rawValue)
        let nonfacilityNA = context.text(row, F.nonfacilityNA.rawValue, in: nas)
        record.nonfacilityNA = nonfacilityNA.value == "NA"
        record.facilityPE = context.decimal(row, F.facilityPE.rawValue)
        let facilityNA = context.text(row, F.facilityNA.rawValue, in: nas)
        record.facilityNA = facilityNA.value == "NA"
        record.mpRVU = context.decimal(row, F.mp.rawValue)
        record.nonfacilityTotal = context.decimal(row, F.nonfacilityTotal.rawValue)
        record.facilityTotal = context.decimal(row, F.facilityTotal.rawValue)
        let pctc = context.code(row, F.pctc.rawValue, in: pctcs)
        record.pctc = pctc.value
        record.preOp = context.decimal(row, F.preOp.rawValue)
        record.intraOp = context.decimal(row, F.intraOp.rawValue)
        record.postOp = context.decimal(row, F.postOp.rawValue)
        let multProc = context.code(row, F.multProc.rawValue, in: multProcs)
        record.multProc = multProc.value
        let bilatSurg = context.code(row, F.bilatSurg.rawValue, in: bilats)
        record.bilatSurg = bilatSurg.value
        let asstSurg = context.code(row, F.asstSurg.rawValue, in: surgeries)
        record.asstSurg = asstSurg.value
        let coSurg = context.code(row, F.coSurg.rawValue, in: surgeries)
        record.coSurg = coSurg.value
        let teamSurg = context.code(row, F.teamSurg.rawValue, in: surgeries)
        record.teamSurg = teamSurg.value
        var pricingKnown = true
        if context.has(F.pricingIndicator.rawValue) {
            let pricing = context.code(row, F.pricingIndicator.rawValue, in: pricingIndicators)
            record.pricingIndicator = pricing.value.isEmpty && context.format == .txt ? nil : pricing.value
            pricingKnown = pricing.known || record.pricingIndicator == nil
        }
        record.endoBase = context.code(row, F.endoBase.rawValue)
        record.conversionFactor = context.decimal(row, F.conversionFactor.rawValue)
        let supervision = context.code(row, F.supervision.rawValue, in: supervisions)
        record.supervision = supervision.value
        let calculationFlag = context.code(row, F.calculationFlag.rawValue, in: calculationFlags)
        record.calculationFlag = calculationFlag.value
        let imagingFamily = context.code(row, F.imagingFamily.rawValue, in: imagingFamilies)
        record.imagingFamily = imagingFamily.value
        record.oppsNonfacilityPE = context.decimal(row, F.oppsNonfacilityPE.rawValue)
        record.oppsFacilityPE = context.decimal(row, F.oppsFacilityPE.rawValue)
        record.oppsMP = context.decimal(row, F.oppsMP.rawValue)
        guard !context.rowFailed else { return nil }

        // Value sets: an unknown status is an error (payment depends on it); other indicators warn.
        func report(_ field: F, _ value: (value: String, known: Bool), _ allowed: ValueSet, _ severity: Diagnostic.Severity) {
            if !value.known { context.report(row, field.rawValue, value.value, in: allowed, severity: severity) }
        }
        report(.status, status, statuses, .error)
        report(.notUsed, notUsed, notUseds, .warning)
        report(.nonfacilityNA, nonfacilityNA, nas, .warning)
        report(.facilityNA, facilityNA, nas, .warning)
        report(.pctc, pctc, pctcs, .warning)
        report(.globalDays, globalDays, self.globalDays, .warning)
        report(.multProc, multProc, multProcs, .warning)
        report(.bilatSurg, bilatSurg, bilats, .warning)
        report(.asstSurg, asstSurg, surgeries, .warning)
        report(.coSurg, coSurg, surgeries, .warning)
        report(.teamSurg, teamSurg, surgeries, .warning)
        if let pricing = record.pricingIndicator {
            report(.pricingIndicator, (pricing, pricingKnown), pricingIndicators, .warning)
        }
        report(.supervision, supervision, supervisions, .warning)
        report(.calculationFlag, calculationFlag, calculationFlags, .warning)
        report(.imagingFamily, imagingFamily, imagingFamilies, .warning)

        // Totals are work + PE + MP, the NA indicator notwithstanding.
        let work = record.workRVU ?? .zero
        let mp = record.mpRVU ?? .zero
        func checkTotal(_ total: ExactDecimal?, _ pe: ExactDecimal?, _ field: F) {
            guard let total else { return }
            let sum = work + (pe ?? .zero) + mp
            if sum != total {
                context.fail(
                    row, field.rawValue, .totalMismatch,
                    "'\(Self.columns[field.rawValue].name)' is \(total) but work + PE + MP = \(work) + \(pe ?? .zero) + \(mp) = \(sum)")
            }
        }
        checkTotal(record.nonfacilityTotal, record.nonfacilityPE, .nonfacilityTotal)
        checkTotal(record.facilityTotal, record.facilityPE, .facilityTotal)

        let key = record.modifier.isEmpty ? record.hcpcs : "\(record.hcpcs)-\(record.modifier)"
        if let previous = keys.previousRow(of: key, row: row.number) {
            context.fail(
                row, F.hcpcs.rawValue, .duplicateKey,
                "duplicate code and modifier \(key) (first at \(context.location.sheet == nil ? "line" : "row") \(previous))")
        }
        // Returned as is, not through a conditional expression (which copied the record).
        guard !context.rowFailed else { return nil }
        return record
    }

    package func finish(_ records: inout [RVURecord], _ context: inout RowContext) {
        context.countLostLeadingZeros(lostZeros)
    }
}
