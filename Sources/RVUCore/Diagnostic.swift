/// A finding about the input, printed like a compiler's:
/// `RVU26A.zip/PPRRVU2026_Jan_nonQPP.csv:1042:6: error: 'WORK RVU' is not a decimal: "N/A"`.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a diagnostic is. `--strict` turns warnings into errors.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// The check that produced it (`duplicate-key` in text and JSON).
    public var code: DiagnosticCode
    /// Lowercase text saying what is wrong and, where it helps, what to do.
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    /// An error diagnostic.
    public static func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.error, code, message, at: location)
    }

    /// A warning diagnostic.
    public static func warning(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location)
    }

    /// A note.
    public static func note(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.note, code, message, at: location)
    }

    /// `location: severity: message`.
    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }

    /// The same diagnostic, as an error when `strict` and it was a warning.
    public func escalated(strict: Bool) -> Diagnostic {
        guard strict, severity == .warning else { return self }
        var copy = self
        copy.severity = .error
        return copy
    }
}

extension Sequence<Diagnostic> {
    /// True when any diagnostic is an error.
    public var containsError: Bool { contains { $0.severity == .error } }

    /// Counts by severity.
    public var counts: (errors: Int, warnings: Int, notes: Int) {
        var counts = (errors: 0, warnings: 0, notes: 0)
        for diagnostic in self {
            switch diagnostic.severity {
            case .error: counts.errors += 1
            case .warning: counts.warnings += 1
            case .note: counts.notes += 1
            }
        }
        return counts
    }
}

/// An error that stops a stage, carrying the diagnostic that says why.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public let diagnostic: Diagnostic

    public init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }

    /// A structural error: the input cannot be read at all.
    public init(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?) {
        self.diagnostic = .error(code, message, at: location)
    }

    public var description: String { diagnostic.description }
}

/// Every check's stable identifier, as text and JSON show it (`duplicate-key`). Each is listed
/// in the docs with what it means (`DiagnosticCodeTests` checks every one is).
public enum DiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case ambiguousMember = "ambiguous-member"
    case archiveTooLarge = "archive-too-large"
    case badCmsUrl = "bad-cms-url"
    case cacheUnwritable = "cache-unwritable"
    case catalogBusy = "catalog-busy"
    case catalogRead = "catalog-read"
    case catalogWrite = "catalog-write"
    case checksumMismatch = "checksum-mismatch"
    case cmsPageChanged = "cms-page-changed"
    case compressionRatio = "compression-ratio"
    case config = "config"
    case controlCharacter = "control-character"
    case configNotFound = "config-not-found"
    case corruptArchive = "corrupt-archive"
    case corruptMember = "corrupt-member"
    case crcMismatch = "crc-mismatch"
    case csvOverlongRecord = "csv-overlong-record"
    case csvTooManyFields = "csv-too-many-fields"
    case csvUnterminatedQuote = "csv-unterminated-quote"
    case curatedCharacter = "curated-character"
    case curatedDuplicate = "curated-duplicate"
    case curatedDuplicateKey = "curated-duplicate-key"
    case curatedEmpty = "curated-empty"
    case curatedEncoding = "curated-encoding"
    case curatedFileTooLarge = "curated-file-too-large"
    case curatedMalformedCode = "curated-malformed-code"
    case curatedMissing = "curated-missing"
    case curatedNotFound = "curated-not-found"
    case curatedNotInRelease = "curated-not-in-release"
    case curatedPlaceholder = "curated-placeholder"
    case curatedRepeated = "curated-repeated"
    case curatedShape = "curated-shape"
    case curatedTag = "curated-tag"
    case curatedTooLong = "curated-too-long"
    case curatedTooMany = "curated-too-many"
    case curatedUnknownCategory = "curated-unknown-category"
    case curatedUnknownKey = "curated-unknown-key"
    case curatedYaml = "curated-yaml"
    case dataAfterEndOfFile = "data-after-end-of-file"
    case downloadFailed = "download-failed"
    case downloadNotAZip = "download-not-a-zip"
    case duplicateColumn = "duplicate-column"
    case duplicateKey = "duplicate-key"
    case duplicateRow = "duplicate-row"
    case encryptedMember = "encrypted-member"
    case fileNotFound = "file-not-found"
    case formatVariance = "format-variance"
    case historyBusy = "history-busy"
    case historyConflict = "history-conflict"
    case historyRead = "history-read"
    case historyWrite = "history-write"
    case internalError = "internal"
    case invalidCode = "invalid-code"
    case invalidEncoding = "invalid-encoding"
    case licenseNotAccepted = "license-not-accepted"
    case lostLeadingZeros = "lost-leading-zeros"
    case manifestInvalid = "manifest-invalid"
    case manifestUnreadable = "manifest-unreadable"
    case memberTooLarge = "member-too-large"
    case missingColumn = "missing-column"
    case missingDataset = "missing-dataset"
    case missingHeader = "missing-header"
    case missingState = "missing-state"
    case missingValue = "missing-value"
    case network = "network"
    case notANumber = "not-a-number"
    case notAZip = "not-a-zip"
    case notCached = "not-cached"
    case outputNotCatalog = "output-not-catalog"
    case outputWrite = "output-write"
    case pageUnreadable = "page-unreadable"
    case releaseMismatch = "release-mismatch"
    case releaseNotAvailable = "release-not-available"
    case releaseNotFound = "release-not-found"
    case releaseNotOffered = "release-not-offered"
    case scaffoldCurated = "scaffold-curated"
    case scaffoldDuplicate = "scaffold-duplicate"
    case scaffoldMalformedCode = "scaffold-malformed-code"
    case scaffoldNotInRelease = "scaffold-not-in-release"
    case siteWrite = "site-write"
    case sizeMismatch = "size-mismatch"
    case sourceNotFound = "source-not-found"
    case tooManyColumns = "too-many-columns"
    case tooManyRows = "too-many-rows"
    case totalMismatch = "total-mismatch"
    case totalTooLarge = "total-too-large"
    case truncatedArchive = "truncated-archive"
    case truncatedRecord = "truncated-record"
    case unknownColumn = "unknown-column"
    case unknownDataset = "unknown-dataset"
    case unknownValue = "unknown-value"
    case unreadableFile = "unreadable-file"
    case unreadableMember = "unreadable-member"
    case unsafeCode = "unsafe-code"
    case unsafeMemberName = "unsafe-member-name"
    case unsupportedArchive = "unsupported-archive"
    case unsupportedCompression = "unsupported-compression"
    case usage = "usage"
    case visitsHeader = "visits-header"
    case visitsRead = "visits-read"
    case worklistJson = "worklist-json"
    case xlsxDoctype = "xlsx-doctype"
    case xlsxMalformed = "xlsx-malformed"
    case xlsxMissingPart = "xlsx-missing-part"

    public var description: String { rawValue }
}
