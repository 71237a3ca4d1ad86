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
    /// A stable identifier of the check that produced it (`duplicate-key`), listed in the README.
    public var code: String
    /// Lowercase text saying what is wrong and, where it helps, what to do.
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    /// An error diagnostic.
    public static func error(_ code: String, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.error, code, message, at: location)
    }

    /// A warning diagnostic.
    public static func warning(_ code: String, _ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location)
    }

    /// A note.
    public static func note(_ code: String, _ message: String, at location: SourceLocation?) -> Diagnostic {
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
    public init(_ code: String, _ message: String, at location: SourceLocation?) {
        self.diagnostic = .error(code, message, at: location)
    }

    public var description: String { diagnostic.description }
}
