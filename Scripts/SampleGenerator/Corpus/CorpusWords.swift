/// The made-up vocabulary of the synthetic curated corpus. Words only: no colons, no `#`, no
/// quotes and no commas inside list items, so every value is a plain YAML scalar.
enum CorpusWords {
    static let sites = [
        "left knee joint", "right shoulder", "lower spine", "upper airway", "inner ear", "outer ear canal",
        "small intestine", "large intestine", "gallbladder", "liver", "kidney", "bladder", "prostate", "thyroid gland",
        "salivary gland", "heart valve", "coronary artery", "leg vein", "arm artery", "chest wall", "abdominal wall",
        "hip joint", "ankle", "wrist", "hand tendon", "foot bones", "skin of the face", "scalp", "eyelid", "cornea",
        "retina", "sinus", "nasal passage", "vocal cords", "lung", "pleura", "esophagus", "stomach", "pancreas",
        "spleen", "lymph nodes", "breast tissue", "uterus", "ovary", "spinal cord", "brain tissue", "nerve root",
        "jaw joint", "tooth root", "gum tissue", "blood sample", "urine sample", "tissue sample", "bone marrow",
    ]
    static let actions = [
        "repair", "removal", "examination", "imaging", "injection", "biopsy", "drainage", "reconstruction",
        "measurement", "monitoring", "replacement", "release", "stabilization", "evaluation", "testing", "treatment",
        "cleaning", "closure", "insertion", "adjustment",
    ]
    static let linking = ["of the", "involving the", "for the", "at the", "within the"]
    static let qualifiers = [
        "first session", "each additional area", "with guidance", "without guidance", "open approach",
        "through a scope", "simple", "complex", "limited", "complete", "follow-up", "bilateral", "single level",
        "multiple levels", "with report", "in the office",
    ]
    static let synonymStems = [
        "standard", "routine", "minor", "major", "partial", "total", "scope-assisted", "guided", "staged",
        "outpatient", "bedside", "elective", "urgent", "diagnostic", "therapeutic", "planned", "repeat",
    ]
    static let subjects = [
        "The practitioner", "The care team", "The treating clinician", "The specialist", "The service",
        "This procedure", "The visit", "The study",
    ]
    static let verbs = [
        "covers", "includes", "assesses", "restores", "records", "measures", "addresses", "documents",
        "examines", "prepares",
    ]
    static let objects = [
        "the function", "the structure", "the appearance", "the blood flow", "the alignment", "the movement",
        "the surface", "the lining", "the size and shape", "the condition",
    ]
    static let clauses = [
        "with the usual preparation and care right after the service",
        "using the equipment and supplies the setting provides",
        "including a short review of the results with the patient",
        "when the findings call for it and the patient agrees",
        "as one part of a planned course of care",
        "with attention to comfort and safety throughout",
        "and the results are sent to the ordering practitioner",
        "following the plan agreed at an earlier visit",
        "with images or measurements kept in the record",
        "whether done in an office or in a hospital department",
    ]
    static let plainOpenings = [
        "A check of your", "Care for your", "A test that looks at your", "Treatment that helps your",
        "A short procedure on your", "A visit to look after your",
    ]
    static let plainEndings = [
        "to find out what is wrong", "so that it works better", "done by a trained specialist",
        "usually without a hospital stay", "with results shared at a later visit", "to relieve pain or other symptoms",
    ]
    static let specialties = [
        "Family Medicine", "Internal Medicine", "General Surgery", "Orthopaedic Surgery", "Radiology",
        "Cardiology", "Gastroenterology", "Dermatology", "Neurology", "Urology", "Ophthalmology",
        "Otolaryngology", "Pathology", "Anesthesiology", "Dentistry", "Physical Therapy", "Emergency Medicine",
    ]
    static let modifiers = ["26", "TC", "50", "53", "59", "76", "LT", "RT"]
    static let modifierNotes = [
        "Use when only part of the service was done on the",
        "Applies when the service was repeated the same day on the",
        "Report when a separate session was needed for the",
        "The professional reading only, for the",
    ]
    static let billingNotes = [
        "Report once per session, whatever the number of areas treated.",
        "Bundled with the main procedure when both are done on the same day.",
        "Needs a written order from the treating practitioner.",
        "Check the payer's frequency limits before scheduling a repeat.",
        "Supplies used during the service are not billed separately.",
        "Report the side with a modifier when the service is done on one side only.",
    ]
    static let documentationNotes = [
        "Record the reason for the service, what was done and what was found.",
        "Keep the signed order and the report with the patient's chart.",
        "Note the time spent when the choice of code depends on it.",
        "Describe any complication and how it was handled.",
    ]
}
