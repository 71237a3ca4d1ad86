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
        /// Which formats are parsed besides the authoritative one (see ``Verification``).
        public var verify = Verification.all
        /// Check the id asked for against what the files say (``ReleaseEvidence``); off for
        /// `inspect` of a file whose name names no release.
        public var checksRelease = true

        public init(strict: Bool = false, verify: Verification = .all) {
            self.strict = strict
            self.verify = verify
        }
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
        let parsed = membersToParse(datasetSources.map(\.0), verify: options.verify)
        let results = readConcurrently(datasetSources, parsing: parsed, scope: scope)
        var members: [ParsedMember] = []
        var listed: [ListedMember] = []
        var failed: [FailedMember] = []
        var diagnostics: [Diagnostic] = []
        for (result, (info, source)) in zip(results, datasetSources) {
            switch result {
            case .success(.parsed(let member)):
                members.append(member)
                diagnostics += limited(member.diagnostics, perCode: options.diagnosticsListedPerCode)
            case .success(.listed(let member)):
                listed.append(member)
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
                        .ambiguousMember,
                        "\(member.name) holds the same dataset as \(previous.name) (\(member.kind.rawValue) \(member.variant.rawValue) \(member.format.rawValue)); \(previous.name) is used",
                        at: SourceLocation(file: member.location)))
            }
        }
        let variances = CrossCheck.compare(members)
        diagnostics += varianceDiagnostics(variances, members: members, perField: options.variancesListedPerField)
        if options.requireAllDatasets {
            diagnostics += missingDatasets(members: members, failed: failed, sourceName: sourceName)
        }
        diagnostics = diagnostics.map { $0.escalated(strict: options.strict) }
        if options.checksRelease {
            let evidence = ReleaseEvidence(names: datasetSources.map(\.0), parsed: members)
            if let mismatch = evidence.mismatch(with: release, sourceName: sourceName) { diagnostics.append(mismatch) }
        }
        return ImportedRelease(
            id: release, sourceName: sourceName, sourceSHA256: sourceSHA256, members: members, listedMembers: listed,
            otherMembers: others.sorted(), failedMembers: failed, diagnostics: diagnostics, variances: variances)
    }

    /// The members to parse (by index): per dataset and variant, every member of the most
    /// authoritative format present (``CrossCheck/authority``: CSV, else XLSX, else TXT), and the
    /// other formats that `verify` asks for. The rest are only listed.
    static func membersToParse(_ infos: [MemberInfo], verify: Verification) -> Set<Int> {
        func rank(_ format: FileFormat) -> Int { CrossCheck.authority.firstIndex(of: format) ?? CrossCheck.authority.count }
        var best: [MemberInfo.Group: Int] = [:]
        for info in infos { best[info.group] = min(best[info.group] ?? Int.max, rank(info.format)) }
        return Set(
            infos.indices.filter { index in
                let info = infos[index]
                return rank(info.format) == best[info.group] || verify.parses(info.format)
            })
    }

    /// What became of a dataset member: parsed, or only listed (not asked for by `--verify`).
    private enum Outcome: Sendable {
        case parsed(ParsedMember)
        case listed(ListedMember)
    }

    /// Loads every member and parses those in `parsing`, on every core, longest first (an XLSX
    /// member inflates to about eight times its size) so that the cores finish together.
    private static func readConcurrently(
        _ sources: [(MemberInfo, MemberSource)], parsing: Set<Int>, scope: ImportScope
    ) -> [Result<Outcome, DiagnosticError>] {
        func cost(_ index: Int) -> Int {
            guard parsing.contains(index) else { return 0 }
            return sources[index].1.size * (sources[index].0.format == .xlsx ? 8 : 1)
        }
        let order = sources.indices.sorted { (cost($0), $1) > (cost($1), $0) }
        let results = Mutex([Result<Outcome, DiagnosticError>?](repeating: nil, count: sources.count))
        DispatchQueue.concurrentPerform(iterations: sources.count) { position in
            let index = order[position]
            let (info, source) = sources[index]
            // The readers find the limits (and the XLSX reader the running total) in the scope.
            let result = ImportScope.$current.withValue(scope) { () -> Result<Outcome, DiagnosticError> in
                do throws(DiagnosticError) {
                    let bytes = try source.load()
                    guard parsing.contains(index) else {
                        return .success(.listed(ListedMember(info: info, location: source.location, bytes: bytes)))
                    }
                    return .success(.parsed(try MemberParser.parse(info, bytes: bytes, location: source.location)))
                } catch {
                    return .failure(error)
                }
            }
            results.withLock { $0[index] = result }
        }
        return results.withLock { results in
            results.map { $0 ?? .failure(DiagnosticError(.internalError, "a member was not read", at: nil)) }
        }
    }

    /// The first `perCode` diagnostics of each check, then one line counting the rest.
    static func limited(_ diagnostics: [Diagnostic], perCode: Int) -> [Diagnostic] {
        var seen: [DiagnosticCode: Int] = [:]
        var kept: [Diagnostic] = []
        var severities: [DiagnosticCode: Diagnostic.Severity] = [:]
        var order: [DiagnosticCode] = []
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
        members: [ParsedMember], failed: [FailedMember], sourceName: String
    ) -> [Diagnostic] {
        guard failed.isEmpty else { return [] }
        let present = Set(members.map(\.kind))
        return DatasetKind.allCases.filter { !present.contains($0) }.map { kind in
            .error(
                .missingDataset, "no \(kind.rawValue) member (csv, txt or xlsx) in the release; is this a complete CMS RVU archive?",
                at: SourceLocation(file: sourceName))
        }
    }

    private static func varianceDiagnostics(_ variances: [Variance], members: [ParsedMember], perField: Int) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var counts: [String: Int] = [:]
        var severities: [String: Diagnostic.Severity] = [:]
        var order: [String] = []
        for variance in variances {
            // CMS's own re-spellings in the TXT are notes, which `--strict` leaves as they are.
            let severity: Diagnostic.Severity = CrossCheck.isKnownRespelling(variance) ? .note : .warning
            let member = members.first {
                $0.kind == variance.dataset && $0.variant == variance.variant && $0.format == variance.foundFormat
            }
            let group = "\(member?.location ?? variance.dataset.rawValue)|\(variance.field)"
            if counts[group] == nil { order.append(group) }
            counts[group, default: 0] += 1
            severities[group] = max(severities[group] ?? .note, severity)
            guard counts[group, default: 0] <= perField else { continue }
            let message: String
            if variance.field == "record" {
                message =
                    "\(variance.key) is \(variance.found == "present" ? "only in the \(variance.foundFormat.rawValue)" : "missing from the \(variance.foundFormat.rawValue)") (the \(variance.expectedFormat.rawValue) is authoritative)"
            } else {
                message =
                    "\(variance.key) '\(variance.field)' differs between formats: \(variance.expectedFormat.rawValue) \"\(variance.expected)\", \(variance.foundFormat.rawValue) \"\(variance.found)\""
            }
            diagnostics.append(Diagnostic(severity, .formatVariance, message, at: member.map { SourceLocation(file: $0.location) }))
        }
        for group in order where counts[group, default: 0] > perField {
            let parts = group.split(separator: "|", maxSplits: 1).map(String.init)
            diagnostics.append(
                Diagnostic(
                    severities[group] ?? .warning, .formatVariance,
                    "\(counts[group, default: 0] - perField) more variances in '\(parts.last ?? "")' not listed",
                    at: SourceLocation(file: parts.first ?? "")))
        }
        return diagnostics
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
                .unknownDataset, "cannot tell which dataset this member holds from its name", at: SourceLocation(file: name))
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
