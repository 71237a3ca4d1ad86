import RVUCore

/// The company's original content for one code, written by editors in YAML.
public struct CuratedEntry: Sendable, Hashable {
    public var code: String
    public var title: String
    public var alsoKnownAs: [String]
    public var description: String
    public var plainLanguage: String
    public var clinicalContext: String
    public var specialties: [String]
    /// Notes per modifier (`26`, `TC`, `53`), optional.
    public var modifierNotes: [String: String]
    /// Overrides of the category's notes for this code, optional.
    public var billingNotes: String?
    public var documentationNotes: String?
    /// Where the entry was written (`codes/evaluation.yaml:12`).
    public var location: SourceLocation
}

/// Editors' notes that apply to every code of a category unless a code overrides them.
public struct CategoryNotes: Sendable, Hashable {
    /// A category id such as `dental` or `cpt-radiology` (see ``CodeCategory``).
    public var category: String
    public var billingNotes: String?
    public var documentationNotes: String?
    public var location: SourceLocation
}

/// All curated content: entries by code and notes by category, plus a content hash of the files.
public struct CuratedContent: Sendable {
    public var entries: [String: CuratedEntry]
    public var categories: [String: CategoryNotes]
    /// SHA-256 over the files' names and bytes, in name order: the `curated_revision`.
    public var revision: String

    public init(entries: [String: CuratedEntry] = [:], categories: [String: CategoryNotes] = [:], revision: String = "") {
        self.entries = entries
        self.categories = categories
        self.revision = revision
    }
}
