/// Whether a catalog keeps CMS's descriptors of CPT and dental codes: the AMA's and the ADA's
/// text, which an organisation may publish only under their distribution licences.
///
/// ``withheld`` (the default): none of that text is kept; such a code is titled only by editors.
/// ``licensed``: the descriptors are kept (`code.cms_descriptor`) and title a code that has no
/// curated title, and every page carries ``notices``.
public enum DescriptorPolicy: String, Sendable, Hashable, CaseIterable {
    case withheld
    case licensed

    /// The notices shown with every page of a catalog built with licensed descriptors, in order:
    /// the AMA's copyright, the ADA's copyright, the trademarks. The one place this text is
    /// written: code pages in every format and the HTML site read it from here.
    public static let notices: [String] = [cptNotice, cdtNotice, trademarkNotice]

    /// The copyright notice for CPT descriptors.
    public static let cptNotice =
        "CPT code descriptors are copyright the American Medical Association (AMA), all rights reserved, and are shown under the AMA's licence."
    /// The copyright notice for CDT (dental) descriptors.
    public static let cdtNotice =
        "CDT code descriptors are copyright the American Dental Association (ADA), all rights reserved, and are shown under the ADA's licence."
    /// Who owns the code sets' names.
    public static let trademarkNotice =
        "CPT is a registered trademark of the American Medical Association; CDT is a trademark of the American Dental Association."
}
