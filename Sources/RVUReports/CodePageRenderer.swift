import RVUCatalog
import RVUCore
import RVUMerge

/// Renders a code's page as text, Markdown, JSON or HTML (``CodePageHTML``): what the app shows for the code.
public enum CodePageRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, json, html
    }

    static func decimal(_ value: Double?, scale: Int) -> String? {
        guard let value else { return nil }
        return ExactDecimal(String(value), allowExponent: true)?.rounded(toScale: scale).description
    }

    static func money(_ value: Double?) -> String? { decimal(value, scale: 2).map { "$\($0)" } }

    /// Why a row has no work RVU, or nil when it has one.
    static func noWorkExplanation(_ row: CodePage.RVURow) -> String? {
        guard (row.workRVU ?? 0) == 0 else { return nil }
        let noRVUs = (row.nonfacilityTotal ?? 0) == 0 && (row.facilityTotal ?? 0) == 0
        if noRVUs {
            switch row.status {
            case "C", "R": return "No RVUs are assigned: the Medicare contractor prices the service, if it is covered."
            case "A", "T": return "No RVUs are assigned in this release."
            default: return "No RVUs are assigned: the service is not paid on RVUs under the fee schedule (status \(row.status))."
            }
        }
        if row.modifier == "TC" || row.pctc == "3" {
            return "No work RVU: the technical component covers equipment and staff, not physician work."
        }
        if !Merger.paidStatuses.contains(row.status) {
            return "No work RVU is assigned: the service is not paid on RVUs under the fee schedule (status \(row.status))."
        }
        return "No work RVU is assigned: the service involves no physician work (practice expense and malpractice only)."
    }

    /// Where a `cms` title comes from: the public HCPCS Level II text, or the AMA's or ADA's.
    static func titleSourceText(_ page: CodePage) -> String {
        switch CodeCategory.of(page.code)?.codeSet {
        case .cpt: "CMS's copy of the AMA's CPT descriptor, under licence"
        case .cdt: "CMS's copy of the ADA's CDT descriptor, under licence"
        default: "CMS HCPCS Level II descriptor"
        }
    }

    /// The notices a page carries: its code set's trademark and, in a catalog that keeps
    /// licensed descriptors, their copyright.
    static func notices(_ page: CodePage) -> [String] {
        (DescriptorPolicy(rawValue: page.descriptors) ?? .withheld).notices(codeSet: page.codeSet)
    }

    /// `global`, `modifier 26`, `modifier TC, qualifying APM participants`.
    static func rowLabel(_ row: CodePage.RVURow) -> String {
        "\(row.modifier.isEmpty ? "global" : "modifier \(row.modifier)")\(row.variant == "qpp" ? ", qualifying APM participants" : "")"
    }

    /// What a page says of an RVU row, in order: named fields (a nil value is left out) and,
    /// with no name, the sentence explaining why there is no work RVU.
    static func rowFields(_ row: CodePage.RVURow) -> [(name: String?, value: String?)] {
        var fields: [(name: String?, value: String?)] = [
            ("Status", "\(row.status): \(IndicatorMeanings.status(row.status))"), ("Work RVU", decimal(row.workRVU, scale: 2)),
        ]
        if let explanation = noWorkExplanation(row) { fields.append((nil, explanation)) }
        fields += [
            (
                "Practice expense RVU",
                "non-facility \(row.nonfacilityNA ? "NA" : decimal(row.nonfacilityPE, scale: 2) ?? "-"), facility \(row.facilityNA ? "NA" : decimal(row.facilityPE, scale: 2) ?? "-")"
            ),
            ("Malpractice RVU", decimal(row.mpRVU, scale: 2)),
            (
                "Total RVUs",
                "non-facility \(decimal(row.nonfacilityTotal, scale: 2) ?? "-"), facility \(decimal(row.facilityTotal, scale: 2) ?? "-")"
            ),
            ("Global period", "\(row.globalDays): \(IndicatorMeanings.globalDays(row.globalDays))"),
            ("Conversion factor", decimal(row.conversionFactor, scale: 4)),
        ]
        if row.nonfacilityPayment == nil, row.facilityPayment == nil {
            fields.append(("National payment", "none on RVUs (\(IndicatorMeanings.status(row.status)))"))
        } else {
            fields.append(
                (
                    "National payment",
                    "non-facility \(money(row.nonfacilityPayment) ?? "n/a"), facility \(money(row.facilityPayment) ?? "n/a")"
                ))
        }
        return fields
    }

    static func title(_ page: CodePage) -> String {
        if let title = page.title { return title }
        return "(no title: the CMS descriptor of this code is AMA or ADA text, which is not published, and no curated title exists yet)"
    }

    /// The page; with `history`, also the code's RVUs and payment per period (text and markdown:
    /// a table per RVU row; JSON: a `history` array after `rvu`; HTML: not shown).
    public static func render(_ page: CodePage, format: Format, history: CodePageHistory? = nil) -> String {
        switch format {
        case .text: text(page, markdown: false, history: history)
        case .markdown: text(page, markdown: true, history: history)
        case .json: json(page, history: history).rendered(indent: 2) + "\n"
        case .html: CodePageHTML.render(page)
        }
    }

    static func text(_ page: CodePage, markdown: Bool, history: CodePageHistory? = nil) -> String {
        var out: [String] = []
        func heading(_ text: String) { out.append(markdown ? "\n## \(text)" : "\n\(text.uppercased())") }
        func field(_ name: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            out.append(markdown ? "**\(name):** \(value)" : "\(name): \(value)")
        }
        out.append(markdown ? "# \(page.code): \(title(page))" : "\(page.code)  \(title(page))")
        if page.titleSource == "cms" {
            let what = titleSourceText(page)
            out.append(markdown ? "_Title: \(what)._" : "(title: \(what))")
        }
        if !page.inRelease { out.append("Not in the \(page.releaseID) fee schedule: content only.") }
        field("Category", page.categoryName)
        field("Also known as", page.synonyms.isEmpty ? nil : page.synonyms.joined(separator: "; "))
        field("Description", page.description)
        field("Plain language", page.plainLanguage)
        field("Clinical context", page.clinicalContext)
        field("Specialties", page.specialties.isEmpty ? nil : page.specialties.joined(separator: ", "))
        if page.billingNotes != nil || page.documentationNotes != nil || !page.modifierNotes.isEmpty {
            heading("Billing and documentation")
            field("Billing", page.billingNotes)
            field("Documentation", page.documentationNotes)
            for note in page.modifierNotes { field("Modifier \(note.modifier)", note.note) }
        }
        if !page.rows.isEmpty {
            heading("RVUs and national payment (\(page.releaseID))")
            for row in page.rows {
                let label = rowLabel(row)
                out.append(markdown ? "\n### \(page.code) \(label)" : "\n\(page.code) \(label)")
                for (name, value) in rowFields(row) {
                    if let name { field(name, value) } else if let value { out.append(value) }
                }
            }
        }
        if let history { out += history.lines(code: page.code, markdown: markdown) }
        out.append("")
        out.append(
            markdown
                ? "_Data sourced from CMS Physician Fee Schedule \(page.releaseID)_"
                : "Data sourced from CMS Physician Fee Schedule \(page.releaseID)")
        for notice in notices(page) { out.append(markdown ? "_\(notice)_" : notice) }
        return out.joined(separator: "\n") + "\n"
    }

    static func json(_ page: CodePage, history: CodePageHistory? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("code", .string(page.code)),
            ("title", .string(page.title)),
            ("title_source", .string(page.titleSource)),
            ("category", .string(page.category)),
            ("category_name", .string(page.categoryName)),
            ("also_known_as", .array(page.synonyms.map { .string($0) })),
            ("description", .string(page.description)),
            ("plain_language", .string(page.plainLanguage)),
            ("clinical_context", .string(page.clinicalContext)),
            ("specialties", .array(page.specialties.map { .string($0) })),
            ("billing_notes", .string(page.billingNotes)),
            ("documentation_notes", .string(page.documentationNotes)),
            ("modifier_notes", .object(page.modifierNotes.map { ($0.modifier, .string($0.note)) })),
            ("in_release", .bool(page.inRelease)),
            (
                "rvu",
                .array(
                    page.rows.map { row in
                        .object([
                            ("modifier", .string(row.modifier)),
                            ("variant", .string(row.variant)),
                            ("status", .string(row.status)),
                            ("status_meaning", .string(IndicatorMeanings.status(row.status))),
                            ("work_rvu", decimal(row.workRVU, scale: 2).map { .number($0) } ?? .null),
                            ("no_work_rvu_explanation", .string(noWorkExplanation(row))),
                            (
                                "nonfacility_pe_rvu",
                                row.nonfacilityNA ? .null : decimal(row.nonfacilityPE, scale: 2).map { .number($0) } ?? .null
                            ),
                            ("facility_pe_rvu", row.facilityNA ? .null : decimal(row.facilityPE, scale: 2).map { .number($0) } ?? .null),
                            ("mp_rvu", decimal(row.mpRVU, scale: 2).map { .number($0) } ?? .null),
                            ("global_days", .string(row.globalDays)),
                            ("conversion_factor", decimal(row.conversionFactor, scale: 4).map { .number($0) } ?? .null),
                            ("national_nonfacility_payment", decimal(row.nonfacilityPayment, scale: 2).map { .number($0) } ?? .null),
                            ("national_facility_payment", decimal(row.facilityPayment, scale: 2).map { .number($0) } ?? .null),
                        ])
                    })
            ),
            ("attribution", .string("Data sourced from CMS Physician Fee Schedule \(page.releaseID)")),
            ("descriptors", .string(page.descriptors)),
            ("cms_descriptor", .string(page.cmsDescriptor)),
            ("notices", .array(notices(page).map { .string($0) })),
            ("released_on", .string(page.releasedOn)),
            ("catalog_version", .string(page.catalogVersion)),
        ]
        if let history, let index = pairs.firstIndex(where: { $0.0 == "rvu" }) {
            pairs.insert(("history", history.json), at: index + 1)
        }
        return .object(pairs)
    }
}
