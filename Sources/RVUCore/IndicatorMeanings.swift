/// What PPRRVU indicator values mean, from the release readme (Attachment A and the field list).
public enum IndicatorMeanings {
    /// The status code's meaning and what it means for payment.
    public static func status(_ code: String) -> String {
        switch code {
        case "A": "Active: paid separately under the fee schedule, if covered."
        case "B": "Bundled: payment is always bundled into other services; RVUs shown are not used for payment."
        case "C": "Carrier priced: the Medicare contractor sets the payment, case by case."
        case "D": "Deleted: deleted effective the beginning of the year."
        case "E": "Excluded from the fee schedule by regulation: no payment under the fee schedule."
        case "F": "Deleted or discontinued, with no grace period."
        case "G": "Not valid for Medicare (another code is used), with a 90-day grace period."
        case "H": "Deleted modifier: this professional or technical component was deleted."
        case "I": "Not valid for Medicare: another code is used for reporting and payment."
        case "J": "Anesthesia service: no RVUs and no fee schedule payment (paid with anesthesia base units)."
        case "M": "Measurement code: used for reporting only, not paid."
        case "N": "Non-covered service: not covered by Medicare."
        case "P": "Bundled or excluded: no separate fee schedule payment."
        case "R": "Restricted coverage: special coverage instructions apply; if covered, contractor priced."
        case "T": "Injection: paid only when no other fee schedule service is billed the same day by the same provider."
        case "X": "Statutory exclusion: not a physician service for fee schedule purposes; no fee schedule payment."
        default: "Unknown status code \(code)."
        }
    }

    /// The global surgery period's meaning.
    public static func globalDays(_ code: String) -> String {
        switch code {
        case "000": "Endoscopic or minor procedure: pre- and post-operative work on the day of the procedure only."
        case "010": "Minor procedure: 10-day post-operative period included."
        case "090": "Major surgery: 1 day before and 90 days after included."
        case "MMM": "Maternity code: the usual global period does not apply."
        case "XXX": "The global concept does not apply."
        case "YYY": "The contractor sets the global period."
        case "ZZZ": "Add-on code: included in the global period of another service."
        default: "Global period \(code)."
        }
    }

    /// The PC/TC indicator's meaning.
    public static func pctc(_ code: String) -> String {
        switch code {
        case "0": "Physician service: no professional/technical split."
        case "1": "Diagnostic test with professional (26) and technical (TC) components."
        case "2": "Professional component only."
        case "3": "Technical component only."
        case "4": "Global test only."
        case "5": "Incident-to service."
        case "6": "Laboratory physician interpretation."
        case "7": "Physical therapy service not paid when provided in a hospital setting by an independent therapist."
        case "8": "Physician interpretation of an abnormal smear."
        case "9": "The professional/technical concept does not apply."
        default: "PC/TC indicator \(code)."
        }
    }
}
