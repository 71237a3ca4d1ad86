import RVUCore
import Testing

@testable import RVUImport

/// Small inline inputs in the CMS layouts.
enum Fixtures {
    /// The 2023–2025 PPRRVU CSV preamble and stacked header (lines 1–10), as CMS prints them.
    static let pprrvuHeader31 = """
        ,,2025 National Physician Fee Schedule Relative Value File October Release,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r
        ,,CPT codes and descriptions only are copyright 2024 American Medical Association.  All Rights Reserved.,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r
        ,,Dental codes (D codes) are copyright 2024/25 American Dental Association.  All Rights Reserved.,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r
        ,, ,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r
        ,,RELEASED 09/11/2025,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r
        ,, , ,,,,,,,,,,,,,,,,,,,,,,,,,NON-FACILITY,FACILITY,\r
        ,,,,NOT USED,,,,,,,,,,,,,,,,,,,,,PHYSICIAN,,DIAGNOSTIC,PE USED,PE USED,MP USED\r
        ,,,,FOR,,,NON-FAC,,FACILITY ,,,,,,,,,,,,,,,,SUPERVISION OF,,IMAGING,FOR OPPS,FOR OPPS,FOR OPPS\r
        ,,,STATUS,MEDICARE ,WORK,NON-FAC,NA,FACILITY,NA,MP,NON-FACILITY,FACILITY,PCTC,GLOB,PRE,INTRA,POST,MULT,BILAT,ASST,CO-,TEAM,ENDO,CONV,DIAGNOSTIC,CALCULATION,FAMILY,PAYMENT,PAYMENT,PAYMENT\r
        HCPCS,MOD,DESCRIPTION,CODE,PAYMENT,RVU,PE RVU,INDICATOR,PE RVU,INDICATOR,RVU,TOTAL,TOTAL,IND,DAYS,OP,OP,OP,PROC,SURG,SURG,SURG,SURG,BASE,FACTOR,PROCEDURES,FLAG,INDICATOR,AMOUNT,AMOUNT,AMOUNT\r

        """

    /// A PPRRVU data line (31 columns) with the given fields replaced.
    static func rvuLine(
        _ hcpcs: String = "99213", mod: String = "", description: String = "Office visit est pt",
        status: String = "A", work: String = "1.30", nfPE: String = "1.35", nfNA: String = "", fPE: String = "0.57",
        fNA: String = "", mp: String = "0.10", nfTotal: String = "2.75", fTotal: String = "1.97", glob: String = "XXX"
    ) -> String {
        [
            hcpcs, mod, description, status, "", work, nfPE, nfNA, fPE, fNA, mp, nfTotal, fTotal, "0", glob, "0.00", "0.00",
            "0.00", "0", "0", "2", "0", "0", "", "32.3465", "09", "0", "99", "0.00", "0.00", "0.00",
        ].joined(separator: ",") + "\r\n"
    }

    static func parse(_ text: String, name: String = "PPRRVU2025_Oct.csv", kind: DatasetKind? = nil) throws -> ParsedMember {
        let info = try #require(MemberInfo(name: name, kind: kind))
        return try MemberParser.parse(info, bytes: Array(text.utf8), location: "T.zip/\(name)")
    }

    static func rvu(_ member: ParsedMember) -> [RVURecord] {
        if case .pprrvu(let records) = member.records { return records }
        return []
    }
}
