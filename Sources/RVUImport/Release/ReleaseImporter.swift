import Dispatch
import RVUContainers
import RVUCore
import Synchronization

/// Reads a release's dataset members into an ``ImportedRelease``.
///
/// Members are parsed concurrently (one task per member); the result does not depend on the
/// order in which they finish. The caller supplies the bytes: this module does no file I/O.
public enum ReleaseImporter {
    /// A member's name and a way to get its bytes (inflating it, or reading a file).
    public struct MemberSource: Sendable {
        public let name: String
        /// The location label used in diagnostics (`RVU24B.zip/PPRRVU24_APR.csv`).
        public let location: String
        public let load: @Sendable () throws(DiagnosticError) -> [UInt8]
        /// The member's size when known, to start the longest parses first.
        public let size: Int

        public init(
            name: String, location: String, size: Int = 0, load: @escaping @Sendable () throws(DiagnosticError) -> [UInt8]
        ) {
            self.name = name
            self.location = location
            self.size = size
            self.load = load
        }
    }

    /// Import options.
    public struct Options: Sendable {
        /// Turn warnings into errors.
        public var strict = false
        /// Require all five datasets (off for `inspect` of a single file).
        public var requireAllDatasets = true
        /// How many cross-check variances of one member and field are listed before a summary.
        public var variancesListedPerField = 20
        /// How many diagnostics of one check in one member are listed before a summary.
        public var diagnosticsListedPerCode = 50
        /// The size, ratio and record caps the release is held to.
        public var limits = ImportLimits()
        /// Called once, on a worker thread, as soon as the members whose records will be used
        /// (``ImportedRelease/authoritative(_:_:)``) are parsed without error, while the others
        /// are still being read for the cross-check. It gets those records (the member list and
        /// notices in it are of those members only) and should return at once. Not called when
        /// one of them fails. Those members are then parsed first.
        public var onAuthoritativeRecords: (@Sendable (ReleaseData) -> Void)?
        /// Cross-check each member as soon as it and its authoritative member are parsed, then
        /// release its records (its counts and findings stay), instead of holding every format's
        /// records until all are parsed: for a run that only needs the authoritative records.
        /// The variances are the same, in the same order.
        public var releasesCrossCheckedRecords = false

        public init(strict: Bool = false) { self.strict = strict }
    }

    /// Imports the members of a zip archive held in memory.
    public static func importArchive(
        bytes: [UInt8], name: String, release: ReleaseID, options: Options = Options()
    ) throws(DiagnosticError) -> ImportedRelease {
        let scope = ImportScope(limits: options.limits, sourceName: name)
        let archive = try ZipArchive(bytes: bytes, name: name, scope: scope)
        try MemberName.check(archive.entries.map(\.name), archive: name)
        let sources = archive.entries.filter { !$0.isDirectory }.map { entry in
            MemberSource(name: entry.name, location: "\(name)/\(entry.name)", size: entry.uncompressedSize) { () throws(DiagnosticError) in
                try archive.contents(of: entry)
            }
        }
        return importMembers(
            sources, sourceName: name, sourceSHA256: SHA256.hex(bytes), release: release, options: options, kind: nil, scope: scope)
    }

    /// Imports members from any source (an archive, a folder of unpacked files).
    public static func importMembers(
        _ sources: [MemberSource], sourceName: String, sourceSHA256: String?, release: ReleaseID,
        options: Options = Options(), kind: DatasetKind? = nil
    ) -> ImportedRelease {
        importMembers(
            sources, sourceName: sourceName, sourceSHA256: sourceSHA256, release: release, options: options, kind: kind,
            scope: ImportScope(limits: options.limits, sourceName: sourceName))
    }

    /// Imports members, every one read within the limits and running total of `scope`.
    private static func importMembers(
        _ sources: [MemberSource], sourceName: String, sourceSHA256: String?, release: ReleaseID, options: Options,
        kind: DatasetKind?, scope: ImportScope
    ) -> ImportedRelease {
        var datasetSources: [(MemberInfo, MemberSource)] = []
        var others: [String] = []
        for source in sources {
            if let info = MemberInfo(name: source.name, kind: kind) {
                datasetSources.append((info, source))
            } else {
                others.append(source.name)
            }
        }
        var early: EarlyRecords?
        if options.onAuthoritativeRecords != nil || options.releasesCrossCheckedRecords {
            early = EarlyRecords(
                infos: datasetSources.map(\.0), hook: options.onAuthoritativeRecords, crossChecks: options.releasesCrossCheckedRecords,
                release: release, sourceName: sourceName, sourceSHA256: sourceSHA256)
        }
        let results = parseConcurrently(datasetSources, scope: scope, early: early)
        var members: [ParsedMember] = []
        var failed: [FailedMember] = []
        var diagnostics: [Diagnostic] = []
        for (result, (info, source)) in zip(results, datasetSources) {
            switch result {
            case .success(let member):
                members.append(member)
                diagnostics += limited(member.diagnostics, perCode: options.diagnosticsListedPerCode)
            case .failure(let error):
                diagnostics.append(error.diagnostic)
                failed.append(FailedMember(info: info, location: source.location, error: error.diagnostic))
            }
        }
        members.sort { $0.info < $1.info }
        // Two members of one dataset, variant and format: the first by name is used.
        for index in members.indices.dropFirst() {
            let previous = members[index - 1]
            let member = members[index]
            if (previous.kind, previous.variant, previous.format) == (member.kind, member.variant, member.format) {
                diagnostics.append(
                    .warning(
                        "ambiguous-member",
                        "\(member.name) holds the same dataset as \(previous.name) (\(member.kind.rawValue) \(member.variant.rawValue) \(member.format.rawValue)); \(previous.name) is used",
                        at: SourceLocation(file: member.location)))
            }
        }
        let variances = CrossCheck.compare(members, compared: early?.variances ?? [:])
        diagnostics += varianceDiagnostics(variances, members: members, perField: options.variancesListedPerField)
        if options.requireAllDatasets {
            diagnostics += missingDatasets(members: members, failed: results, sourceName: sourceName)
        }
        diagnostics = diagnostics.map { $0.escalated(strict: options.strict) }
        return ImportedRelease(
            id: release, sourceName: sourceName, sourceSHA256: sourceSHA256, members: members, otherMembers: others.sorted(),
            failedMembers: failed, diagnostics: diagnostics, variances: variances)
    }

    /// The members whose records a complete import uses, predicted from their names: per
    /// dataset and variant, the first (by ``MemberInfo`` order) of the most authoritative format.
    static func authoritativeIndices(_ infos: [MemberInfo]) -> Set<Int> {
        var chosen: [String: Int] = [:]
        func rank(_ index: Int) -> Int { CrossCheck.authority.firstIndex(of: infos[index].format) ?? CrossCheck.authority.count }
        for index in infos.indices {
            let key = "\(infos[index].kind.rawValue)/\(infos[index].variant.rawValue)"
            if let current = chosen[key], (rank(current), infos[current]) <= (rank(index), infos[index]) { continue }
            chosen[key] = index
        }
        return Set(chosen.values)
    }

    private static func parseConcurrently(
        _ sources: [(MemberInfo, MemberSource)], scope: ImportScope, early: EarlyRecords? = nil
    ) -> [Result<ParsedMember, DiagnosticError>] {
        let results = ResultSlots(count: sources.count)
        // Longest first (an XLSX member inflates to about eight times its size), so that two
        // cores finish together; the members an early consumer waits for before the others.
        func cost(_ index: Int) -> Int { sources[index].1.size * (sources[index].0.format == .xlsx ? 8 : 1) }
        func first(_ index: Int) -> Bool { early?.members.contains(index) ?? false }
        let order = sources.indices.sorted { (first($0) ? 1 : 0, cost($0), $1) > (first($1) ? 1 : 0, cost($1), $0) }
        DispatchQueue.concurrentPerform(iterations: sources.count) { position in
            let index = order[position]
            let (info, source) = sources[index]
            let result: Result<ParsedMember, DiagnosticError>
            // The readers find the limits (and the XLSX reader the running total) in the scope.
            result = ImportScope.$current.withValue(scope) {
                do throws(DiagnosticError) {
                    let bytes = try source.load()
                    let member = try MemberParser.parse(info, bytes: bytes, location: source.location)
                    return .success(early?.crossCheck(member, index: index, results: results) ?? member)
                } catch {
                    return .failure(error)
                }
            }
            results.set(index, result)
            if let early, early.members.contains(index) { early.parsed(index, result, of: results) }
        }
        return results.values
    }

    /// The first `perCode` diagnostics of each check, then one line counting the rest.
    static func limited(_ diagnostics: [Diagnostic], perCode: Int) -> [Diagnostic] {
        var seen: [String: Int] = [:]
        var kept: [Diagnostic] = []
        var severities: [String: Diagnostic.Severity] = [:]
        var order: [String] = []
        for diagnostic in diagnostics {
            let count = seen[diagnostic.code, default: 0] + 1
            seen[diagnostic.code] = count
            if count == 1 { order.append(diagnostic.code) }
            severities[diagnostic.code] = max(severities[diagnostic.code] ?? .note, diagnostic.severity)
            if count <= perCode { kept.append(diagnostic) }
        }
        for code in order where seen[code, default: 0] > perCode {
            let file = diagnostics.first { $0.code == code }?.location?.file
            kept.append(
                Diagnostic(
                    severities[code] ?? .error, code, "\(seen[code, default: 0] - perCode) more '\(code)' diagnostics not listed",
                    at: file.map { SourceLocation(file: $0) }))
        }
        return kept
    }

    private static func missingDatasets(
        members: [ParsedMember], failed: [Result<ParsedMember, DiagnosticError>], sourceName: String
    ) -> [Diagnostic] {
        guard failed.allSatisfy({ if case .success = $0 { true } else { false } }) else { return [] }
        let present = Set(members.map(\.kind))
        return DatasetKind.allCases.filter { !present.contains($0) }.map { kind in
            .error(
                "missing-dataset", "no \(kind.rawValue) member (csv, txt or xlsx) in the release; is this a complete CMS RVU archive?",
                at: SourceLocation(file: sourceName))
        }
    }

    private static func varianceDiagnostics(_ variances: [Variance], members: [ParsedMember], perField: Int) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var counts: [String: Int] = [:]
        var order: [String] = []
        for variance in variances {
            let member = members.first {
                $0.kind == variance.dataset && $0.variant == variance.variant && $0.format == variance.foundFormat
            }
            let group = "\(member?.location ?? variance.dataset.rawValue)|\(variance.field)"
            if counts[group] == nil { order.append(group) }
            counts[group, default: 0] += 1
            guard counts[group, default: 0] <= perField else { continue }
            let message: String
            if variance.field == "record" {
                message =
                    "\(variance.key) is \(variance.found == "present" ? "only in the \(variance.foundFormat.rawValue)" : "missing from the \(variance.foundFormat.rawValue)") (the \(variance.expectedFormat.rawValue) is authoritative)"
            } else {
                message =
                    "\(variance.key) '\(variance.field)' differs between formats: \(variance.expectedFormat.rawValue) \"\(variance.expected)\", \(variance.foundFormat.rawValue) \"\(variance.found)\""
            }
            diagnostics.append(.warning("format-variance", message, at: member.map { SourceLocation(file: $0.location) }))
        }
        for group in order where counts[group, default: 0] > perField {
            let parts = group.split(separator: "|", maxSplits: 1).map(String.init)
            diagnostics.append(
                .warning(
                    "format-variance", "\(counts[group, default: 0] - perField) more variances in '\(parts.last ?? "")' not listed",
                    at: SourceLocation(file: parts.first ?? "")))
        }
        return diagnostics
    }
}

/// What the importer does with the authoritative members as soon as they are parsed: hands
/// their records to a hook once all are (``ReleaseImporter/Options/onAuthoritativeRecords``),
/// and cross-checks each other member against its authoritative one as soon as both are, then
/// releases its records (``ReleaseImporter/Options/releasesCrossCheckedRecords``).
private final class EarlyRecords: Sendable {
    /// The predicted authoritative members (see ``ReleaseImporter/authoritativeIndices(_:)``).
    let members: Set<Int>
    /// Each member's authoritative member of another format, by index.
    private let references: [Int: Int]
    private let hook: (@Sendable (ReleaseData) -> Void)?
    private let crossChecks: Bool
    private let release: ReleaseID
    private let sourceName: String
    private let sourceSHA256: String?
    /// How many of `members` are still to be parsed, and whether one failed.
    private let remaining: Mutex<(count: Int, failed: Bool)>
    private let compared = Mutex<[String: [Variance]]>([:])

    init(
        infos: [MemberInfo], hook: (@Sendable (ReleaseData) -> Void)?, crossChecks: Bool, release: ReleaseID, sourceName: String,
        sourceSHA256: String?
    ) {
        members = ReleaseImporter.authoritativeIndices(infos)
        var references: [Int: Int] = [:]
        for reference in members {
            for index in infos.indices
            where (infos[index].kind, infos[index].variant) == (infos[reference].kind, infos[reference].variant)
                && infos[index].format != infos[reference].format
            {
                references[index] = reference
            }
        }
        self.references = references
        self.hook = hook
        self.crossChecks = crossChecks
        self.release = release
        self.sourceName = sourceName
        self.sourceSHA256 = sourceSHA256
        remaining = Mutex((members.count, false))
    }

    /// The variances found so far, by the location of the member compared.
    var variances: [String: [Variance]] { compared.withLock { $0 } }

    /// The member, cross-checked and without its records when its authoritative member is
    /// parsed already; else unchanged (the cross-check after the parse compares it).
    func crossCheck(_ member: ParsedMember, index: Int, results: ResultSlots) -> ParsedMember {
        guard crossChecks, let reference = references[index], let authoritative = results.member(at: reference) else { return member }
        let found = CrossCheck.compare(authoritative, member)
        compared.withLock { $0[member.location] = found }
        return member.releasingRecords()
    }

    /// One of `members` was parsed; the last one calls the hook unless one failed.
    func parsed(_ index: Int, _ result: Result<ParsedMember, DiagnosticError>, of results: ResultSlots) {
        let complete = remaining.withLock { state -> Bool in
            if case .failure = result { state.failed = true }
            state.count -= 1
            return state.count == 0 && !state.failed
        }
        guard complete, let hook else { return }
        let parsed = results.members(at: members).compactMap { $0 }.sorted { $0.info < $1.info }
        let records = ImportedRelease(
            id: release, sourceName: sourceName, sourceSHA256: sourceSHA256, members: parsed, otherMembers: [], diagnostics: [],
            variances: [])
        hook(records.data)
    }
}

/// Slots that concurrent tasks fill, one each.
private final class ResultSlots: Sendable {
    private let slots: Mutex<[Result<ParsedMember, DiagnosticError>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Result<ParsedMember, DiagnosticError>) {
        slots.withLock { $0[index] = value }
    }

    /// The member parsed at an index (nil when not yet parsed, or failed).
    func member(at index: Int) -> ParsedMember? {
        slots.withLock { slots in
            if case .success(let member)? = slots[index] { member } else { nil }
        }
    }

    /// The members parsed at these indices (nil for one not parsed, or failed).
    func members(at indices: Set<Int>) -> [ParsedMember?] {
        slots.withLock { slots in
            indices.sorted().map { index in
                if case .success(let member)? = slots[index] { member } else { nil }
            }
        }
    }

    var values: [Result<ParsedMember, DiagnosticError>] {
        slots.withLock { slots in
            slots.map { $0 ?? .failure(DiagnosticError("internal", "a member was not parsed", at: nil)) }
        }
    }
}

extension ReleaseImporter {
    /// True when a file of this name is a dataset member this importer reads (with `kind`
    /// forcing the dataset).
    public static func canRead(name: String, kind: DatasetKind? = nil) -> Bool {
        MemberInfo(name: name, kind: kind) != nil
    }
}

extension ReleaseImporter {
    /// Parses one dataset member by name (for benchmarks and tools); the dataset, variant and
    /// format come from the name.
    public static func parseMember(named name: String, bytes: [UInt8]) throws(DiagnosticError) -> ParsedMember {
        guard let info = MemberInfo(name: name) else {
            throw DiagnosticError(
                "unknown-dataset", "cannot tell which dataset this member holds from its name", at: SourceLocation(file: name))
        }
        return try MemberParser.parse(info, bytes: bytes, location: name)
    }

    /// Every file member of an archive, inflated.
    public static func members(ofArchive bytes: [UInt8], name: String) throws(DiagnosticError) -> [(name: String, bytes: [UInt8])] {
        let archive = try ZipArchive(bytes: bytes, name: name)
        try MemberName.check(archive.entries.map(\.name), archive: name)
        var members: [(name: String, bytes: [UInt8])] = []
        for entry in archive.entries where !entry.isDirectory {
            members.append((entry.name, try archive.contents(of: entry)))
        }
        return members
    }
}
