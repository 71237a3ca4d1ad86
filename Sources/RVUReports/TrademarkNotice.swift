/// The trademark notices a page of CPT or CDT codes carries.
enum TrademarkNotice {
    static let cpt =
        "CPT is a registered trademark of the American Medical Association (AMA). CPT codes and descriptions are copyright AMA; all rights reserved."
    static let cdt =
        "CDT is a registered trademark of the American Dental Association (ADA). CDT codes and descriptions are copyright ADA; all rights reserved."

    /// The notices of a code set (`cpt`, `cdt`, `hcpcs`): HCPCS Level II is public and has none.
    static func notices(codeSet: String) -> [String] {
        switch codeSet {
        case "cpt": [cpt]
        case "cdt": [cdt]
        default: []
        }
    }
}
