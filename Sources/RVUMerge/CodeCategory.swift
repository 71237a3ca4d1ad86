/// The category of a HCPCS code, derived from its form: CPT category I sections by number
/// range, category II (`####F`), category III (`####T`), proprietary laboratory analyses
/// (`####U`), dental (`D####`), and HCPCS Level II by letter.
public struct CodeCategory: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A stable identifier (`cpt-surgery`, `dental`, `hcpcs-j`), used in the catalog and in the
    /// curated category notes.
    public let id: String
    /// A name for people.
    public let name: String
    /// Who owns the code set's descriptors.
    public let codeSet: CodeSet

    /// The code sets whose text is copyrighted or public.
    public enum CodeSet: String, Sendable, Hashable {
        /// CPT (AMA): categories I, II, III and PLA. Descriptors must not be published.
        case cpt
        /// CDT (ADA): dental D codes. Descriptors must not be published.
        case cdt
        /// HCPCS Level II (CMS): public descriptors.
        case hcpcsLevelII = "hcpcs"
    }

    public var description: String { id }

    /// True when CMS's descriptor for the code is AMA or ADA text, which the catalog never
    /// publishes.
    public var descriptorIsProprietary: Bool { codeSet != .hcpcsLevelII }

    public static func < (lhs: CodeCategory, rhs: CodeCategory) -> Bool { lhs.id < rhs.id }

    /// The category of `code`, or nil for a code of no known form. Read from the code's bytes
    /// without allocating: it runs for every record and curated entry (`CodeCategoryTests`
    /// compares it with the first, plainer version on every form).
    public static func of(_ code: String) -> CodeCategory? {
        if let category = code.utf8.withContiguousStorageIfAvailable(of(bytes:)) { return category }
        return Array(code.utf8).withUnsafeBufferPointer(of(bytes:))
    }

    private static func of(bytes: UnsafeBufferPointer<UInt8>) -> CodeCategory? {
        guard bytes.count == 5 else { return nil }
        func digit(_ index: Int) -> Int? {
            let value = Int(bytes[index]) - 0x30
            return value >= 0 && value <= 9 ? value : nil
        }
        guard let d1 = digit(1), let d2 = digit(2), let d3 = digit(3) else { return nil }
        if let d0 = digit(0) {
            if let d4 = digit(4) { return cptSection(d0 * 10_000 + d1 * 1_000 + d2 * 100 + d3 * 10 + d4) }
            switch bytes[4] {
            case UInt8(ascii: "F"):
                return CodeCategory(id: "cpt-category-ii", name: "CPT Category II (performance measurement)", codeSet: .cpt)
            case UInt8(ascii: "T"):
                return CodeCategory(id: "cpt-category-iii", name: "CPT Category III (emerging technology)", codeSet: .cpt)
            case UInt8(ascii: "U"): return CodeCategory(id: "cpt-pla", name: "CPT Proprietary Laboratory Analyses", codeSet: .cpt)
            default: return nil
            }
        }
        guard digit(4) != nil, bytes[0] >= UInt8(ascii: "A"), bytes[0] <= UInt8(ascii: "Z") else { return nil }
        return byLetter[Int(bytes[0] - UInt8(ascii: "A"))]
    }

    /// The category of a letter followed by four digits, for A to Z.
    private static let byLetter: [CodeCategory?] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).map { byte in
        let letter = Character(Unicode.Scalar(byte))
        if letter == "D" { return CodeCategory(id: "dental", name: "Dental procedures (CDT)", codeSet: .cdt) }
        guard let name = levelIINames[letter] else { return nil }
        return CodeCategory(id: "hcpcs-\(letter.lowercased())", name: "HCPCS Level II: \(name)", codeSet: .hcpcsLevelII)
    }

    /// CPT category I sections, by code range.
    static func cptSection(_ number: Int) -> CodeCategory {
        let (id, name): (String, String) =
            switch number {
            case 0...1999: ("cpt-anesthesia", "CPT Anesthesia")
            case 10000...69999: ("cpt-surgery", "CPT Surgery")
            case 70000...79999: ("cpt-radiology", "CPT Radiology")
            case 80000...89999: ("cpt-pathology", "CPT Pathology and Laboratory")
            case 99202...99499: ("cpt-evaluation-management", "CPT Evaluation and Management")
            case 90000...99999: ("cpt-medicine", "CPT Medicine")
            default: ("cpt-other", "CPT (other)")
            }
        return CodeCategory(id: id, name: name, codeSet: .cpt)
    }

    static let levelIINames: [Character: String] = [
        "A": "transportation, medical and surgical supplies", "B": "enteral and parenteral therapy",
        "C": "outpatient PPS", "E": "durable medical equipment", "G": "procedures and professional services",
        "H": "behavioral health", "J": "drugs administered other than oral method", "K": "temporary codes for DME MACs",
        "L": "orthotics and prosthetics", "M": "medical services and quality measures", "P": "pathology and laboratory",
        "Q": "temporary codes", "R": "diagnostic radiology", "S": "temporary national codes (non-Medicare)",
        "T": "state Medicaid agency codes", "U": "coronavirus diagnostic panel", "V": "vision and hearing services",
    ]

    /// Every category id the derivation can produce, for validating curated category notes.
    public static let knownIDs: Set<String> = Set(
        [
            "cpt-anesthesia", "cpt-surgery", "cpt-radiology", "cpt-pathology", "cpt-evaluation-management", "cpt-medicine",
            "cpt-other", "cpt-category-ii", "cpt-category-iii", "cpt-pla", "dental",
        ]
            + levelIINames.keys.map { "hcpcs-\($0.lowercased())" })
}

extension CodeCategory {
    /// The category with this id, if the derivation can produce it.
    public static func category(id: String) -> CodeCategory? {
        switch id {
        case "cpt-anesthesia": return of("00100")
        case "cpt-surgery": return of("10000")
        case "cpt-radiology": return of("70000")
        case "cpt-pathology": return of("80000")
        case "cpt-evaluation-management": return of("99202")
        case "cpt-medicine": return of("90000")
        case "cpt-other": return cptSection(2000)
        case "cpt-category-ii": return of("0001F")
        case "cpt-category-iii": return of("0001T")
        case "cpt-pla": return of("0001U")
        case "dental": return of("D0001")
        default:
            guard id.hasPrefix("hcpcs-"), id.count == 7, let letter = id.last else { return nil }
            return of("\(letter.uppercased())0001")
        }
    }
}
