import Foundation
import RVUCore

/// The columns of a PPRRVU file in CMS's order, with their stacked header labels, their TXT
/// positions (readme record layout) and how each format writes a row's value.
enum PPRRVUColumn: CaseIterable {
    case hcpcs, modifier, description, status, notUsed, work, nonfacilityPE, nonfacilityNA, facilityPE, facilityNA,
        mp, nonfacilityTotal, facilityTotal, pctc, globalDays, preOp, intraOp, postOp, multProc, bilatSurg,
        asstSurg, coSurg, teamSurg, pricingIndicator, endoBase, conversionFactor, supervision, calculationFlag,
        imagingFamily, oppsNonfacilityPE, oppsFacilityPE, oppsMP

    /// The columns of a file, with or without the 2026 pricing indicator.
    static func columns(withPricingIndicator: Bool) -> [PPRRVUColumn] {
        allCases.filter { withPricingIndicator || $0 != .pricingIndicator }
    }

    /// The TXT record length (the last field ends at 171).
    static let recordLength = 171

    /// The five header lines' labels, top to bottom, copied from CMS's files.
    var headerStack: [String] {
        switch self {
        case .hcpcs: ["", "", "", "", "HCPCS"]
        case .modifier: ["", "", "", "", "MOD"]
        case .description: [" ", "", "", "", "DESCRIPTION"]
        case .status: [" ", "", "", "STATUS", "CODE"]
        case .notUsed: ["", "NOT USED", "FOR", "MEDICARE ", "PAYMENT"]
        case .work: ["", "", "", "WORK", "RVU"]
        case .nonfacilityPE: ["", "", "", "NON-FAC", "PE RVU"]
        case .nonfacilityNA: ["", "", "NON-FAC", "NA", "INDICATOR"]
        case .facilityPE: ["", "", "", "FACILITY", "PE RVU"]
        case .facilityNA: ["", "", "FACILITY ", "NA", "INDICATOR"]
        case .mp: ["", "", "", "MP", "RVU"]
        case .nonfacilityTotal: ["", "", "", "NON-FACILITY", "TOTAL"]
        case .facilityTotal: ["", "", "", "FACILITY", "TOTAL"]
        case .pctc: ["", "", "", "PCTC", "IND"]
        case .globalDays: ["", "", "", "GLOB", "DAYS"]
        case .preOp: ["", "", "", "PRE", "OP"]
        case .intraOp: ["", "", "", "INTRA", "OP"]
        case .postOp: ["", "", "", "POST", "OP"]
        case .multProc: ["", "", "", "MULT", "PROC"]
        case .bilatSurg: ["", "", "", "BILAT", "SURG"]
        case .asstSurg: ["", "", "", "ASST", "SURG"]
        case .coSurg: ["", "", "", "CO-", "SURG"]
        case .teamSurg: ["", "", "", "TEAM", "SURG"]
        case .pricingIndicator: ["", "", "", "PRICING", "INDICATOR"]
        case .endoBase: ["", "", "", "ENDO", "BASE"]
        case .conversionFactor: ["", "", "", "CONV", "FACTOR"]
        case .supervision: ["", "PHYSICIAN", "SUPERVISION OF", "DIAGNOSTIC", "PROCEDURES"]
        case .calculationFlag: ["", "", "", "CALCULATION", "FLAG"]
        case .imagingFamily: ["", "DIAGNOSTIC", "IMAGING", "FAMILY", "INDICATOR"]
        case .oppsNonfacilityPE: ["NON-FACILITY", "PE USED", "FOR OPPS", "PAYMENT", "AMOUNT"]
        case .oppsFacilityPE: ["FACILITY", "PE USED", "FOR OPPS", "PAYMENT", "AMOUNT"]
        case .oppsMP: ["", "MP USED", "FOR OPPS", "PAYMENT", "AMOUNT"]
        }
    }

    /// 1-based inclusive TXT positions and alignment.
    var txtField: (positions: ClosedRange<Int>, alignment: FixedWidthRecord.Alignment) {
        switch self {
        case .hcpcs: (1...5, .left)
        case .modifier: (6...7, .left)
        case .description: (8...57, .left)
        case .status: (58...58, .left)
        case .notUsed: (59...59, .left)
        case .work: (60...65, .right)
        case .nonfacilityPE: (67...72, .right)
        case .nonfacilityNA: (73...74, .left)
        case .facilityPE: (76...81, .right)
        case .facilityNA: (82...83, .left)
        case .mp: (85...89, .right)
        case .nonfacilityTotal: (91...96, .right)
        case .facilityTotal: (97...102, .right)
        case .pctc: (103...103, .left)
        case .globalDays: (104...106, .left)
        case .preOp: (107...109, .right)
        case .intraOp: (110...112, .right)
        case .postOp: (113...115, .right)
        case .multProc: (116...116, .left)
        case .bilatSurg: (117...117, .left)
        case .asstSurg: (118...118, .left)
        case .coSurg: (119...119, .left)
        case .teamSurg: (120...120, .left)
        case .pricingIndicator: (121...121, .left)
        case .endoBase: (128...132, .right)
        case .conversionFactor: (133...140, .right)
        case .supervision: (142...143, .left)
        case .calculationFlag: (144...144, .left)
        case .imagingFamily: (146...147, .left)
        case .oppsNonfacilityPE: (152...157, .right)
        case .oppsFacilityPE: (159...164, .right)
        case .oppsMP: (166...171, .right)
        }
    }

    /// The value as the CSV prints it (`1.30`, `NA`, `32.3465`).
    func csvText(_ row: RVURow, conversionFactor: ExactDecimal) -> String {
        switch self {
        case .hcpcs: row.hcpcs
        case .modifier: row.modifier
        case .description: row.description
        case .status: row.status
        case .notUsed: row.notUsedForPayment ? "+" : ""
        case .nonfacilityNA: row.nonfacilityNA ? "NA" : ""
        case .facilityNA: row.facilityNA ? "NA" : ""
        case .pctc: row.pctc
        case .globalDays: row.globalDays
        case .multProc, .bilatSurg, .asstSurg, .coSurg, .teamSurg: surgeryIndicator(row)
        case .pricingIndicator: row.pricingIndicator
        case .endoBase: row.endoBase
        case .conversionFactor: conversionFactor.description
        case .supervision: row.supervision
        case .calculationFlag: row.calculationFlag
        case .imagingFamily: row.imagingFamily
        default: decimal(row).map(\.description) ?? ""
        }
    }

    /// The value as the TXT prints it: like the CSV, except the surgery percentages (`.10`).
    func txtText(_ row: RVURow, conversionFactor: ExactDecimal) -> String {
        switch self {
        case .preOp, .intraOp, .postOp:
            let text = csvText(row, conversionFactor: conversionFactor)
            precondition(text.hasPrefix("0."), "a percentage of 1 or more does not fit the TXT layout")
            return String(text.dropFirst())
        default:
            return csvText(row, conversionFactor: conversionFactor)
        }
    }

    /// The XLSX cell, typed as CMS's workbooks type it: codes and flags as shared strings,
    /// modifiers `26`/`53`, indicators, RVUs, the endoscopic base and the conversion factor as
    /// numbers; nil for an empty cell.
    func xlsxCell(_ row: RVURow, conversionFactor: ExactDecimal) -> XLSXWriter.Cell? {
        let text = csvText(row, conversionFactor: conversionFactor)
        if text.isEmpty { return nil }
        switch self {
        case .hcpcs, .description, .status, .notUsed, .nonfacilityNA, .facilityNA, .globalDays, .supervision:
            return .text(text)
        case .modifier:
            return text.allSatisfy(\.isNumber) ? XLSXNumber.codeCell(text) : .text(text)
        case .pctc, .multProc, .bilatSurg, .asstSurg, .coSurg, .teamSurg, .pricingIndicator, .endoBase,
            .calculationFlag, .imagingFamily:
            return XLSXNumber.codeCell(text)
        case .conversionFactor:
            return XLSXNumber.cell(conversionFactor, binaryDouble: true)
        default:
            guard let value = decimal(row) else { return .text(text) }
            return XLSXNumber.cell(value, binaryDouble: row.binaryDoublesInXLSX)
        }
    }

    private func decimal(_ row: RVURow) -> ExactDecimal? {
        switch self {
        case .work: row.work
        case .nonfacilityPE: row.nonfacilityPE
        case .facilityPE: row.facilityPE
        case .mp: row.mp
        case .nonfacilityTotal: row.nonfacilityTotal
        case .facilityTotal: row.facilityTotal
        case .preOp: row.preOp
        case .intraOp: row.intraOp
        case .postOp: row.postOp
        case .oppsNonfacilityPE: row.oppsNonfacilityPE
        case .oppsFacilityPE: row.oppsFacilityPE
        case .oppsMP: row.oppsMP
        default: nil
        }
    }

    private func surgeryIndicator(_ row: RVURow) -> String {
        let indicators = Array(row.surgery)
        precondition(indicators.count == 5, "\(row.key): surgery indicators must be 5 characters")
        let index =
            switch self {
            case .multProc: 0
            case .bilatSurg: 1
            case .asstSurg: 2
            case .coSurg: 3
            default: 4
            }
        return String(indicators[index])
    }
}
