/// Whether a catalog keeps CMS's descriptors of CPT and dental codes: the AMA's and the ADA's
/// text, which an organisation may publish only under their distribution licences.
///
/// ``withheld`` (the default): none of that text is kept; such a code is titled only by editors.
/// ``licensed``: the descriptors are kept (`code.cms_descriptor`) and title a code that has no
/// curated title, and its pages carry the copyright notice of their code set as well.
public enum DescriptorPolicy: String, Sendable, Hashable, CaseIterable {
    case withheld
    case licensed

    /// The trademark notice of a page of a CPT code, whatever the policy.
    public static let cptTrademark =
        "CPT is a registered trademark of the American Medical Association (AMA). CPT codes and descriptions are copyright AMA; all rights reserved."
    /// The trademark notice of a page of a CDT (dental) code, whatever the policy.
    public static let cdtTrademark =
        "CDT is a registered trademark of the American Dental Association (ADA). CDT codes and descriptions are copyright ADA; all rights reserved."
    /// The copyright notice for CPT descriptors, shown under licence.
    public static let cptNotice =
        "CPT code descriptors are copyright the American Medical Association (AMA), all rights reserved, and are shown under the AMA's licence."
    /// The copyright notice for CDT (dental) descriptors, shown under licence.
    public static let cdtNotice =
        "CDT code descriptors are copyright the American Dental Association (ADA), all rights reserved, and are shown under the ADA's licence."

    /// The notices of a page, in order: for a code of `codeSet` (`cpt`, `cdt`; HCPCS Level II is
    /// public and has none), or for a page listing codes of every set when `codeSet` is nil. The
    /// one place this text is written: code pages in every format and the preview site read it here.
    public func notices(codeSet: String?) -> [String] {
        var notices: [String] = []
        if codeSet == nil || codeSet == "cpt" {
            notices += self == .licensed ? [Self.cptTrademark, Self.cptNotice] : [Self.cptTrademark]
        }
        if codeSet == nil || codeSet == "cdt" {
            notices += self == .licensed ? [Self.cdtTrademark, Self.cdtNotice] : [Self.cdtTrademark]
        }
        return notices
    }
}
