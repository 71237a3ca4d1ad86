import RVUCore

/// A release read completely: every dataset member parsed, the formats cross-checked, and the
/// authoritative records of each dataset chosen (CSV first, see ``CrossCheck``).
public struct ImportedRelease: Sendable {
    public let id: ReleaseID
    /// The archive's or folder's name (`RVU24B.zip`).
    public let sourceName: String
    /// SHA-256 of the archive, nil for a folder of unpacked members.
    public let sourceSHA256: String?
    /// Every parsed dataset member, ordered by dataset, variant, format.
    public let members: [ParsedMember]
    /// Dataset members listed but not parsed (their format was not asked for by `--verify`).
    public let listedMembers: [ListedMember]
    /// Members of the archive that are not dataset files (the readme PDF, ...).
    public let otherMembers: [String]
    /// Dataset members that could not be read at all, with the error that stopped each.
    public let failedMembers: [FailedMember]
    /// Everything found, members' diagnostics first, then the cross-check, then the release.
    public let diagnostics: [Diagnostic]
    public let variances: [Variance]

    package init(
        id: ReleaseID, sourceName: String, sourceSHA256: String?, members: [ParsedMember], listedMembers: [ListedMember] = [],
        otherMembers: [String], failedMembers: [FailedMember] = [], diagnostics: [Diagnostic], variances: [Variance]
    ) {
        self.id = id
        self.sourceName = sourceName
        self.sourceSHA256 = sourceSHA256
        self.members = members
        self.listedMembers = listedMembers
        self.otherMembers = otherMembers
        self.failedMembers = failedMembers
        self.diagnostics = diagnostics
        self.variances = variances
    }

    /// The member whose records are used for a dataset and variant: CSV, else XLSX, else TXT.
    public func authoritative(_ kind: DatasetKind, _ variant: Variant = .general) -> ParsedMember? {
        CrossCheck.authority.lazy.compactMap { format in
            self.members.first { $0.kind == kind && $0.variant == variant && $0.format == format }
        }.first
    }

    /// The members whose records are used, one per dataset and variant present.
    public var authoritativeMembers: [ParsedMember] {
        DatasetKind.allCases.flatMap { kind in variants(of: kind).compactMap { authoritative(kind, $0) } }
    }

    /// Every dataset member as the catalog lists it (`release_member`), by name; a row count
    /// only for the members parsed.
    public var memberList: [ReleaseData.Member] {
        let parsed = members.map {
            ReleaseData.Member(
                name: $0.name, dataset: $0.kind, variant: $0.variant, format: $0.format, sha256: $0.sha256, bytes: $0.bytes,
                rows: $0.rowCount)
        }
        let listed = listedMembers.map {
            ReleaseData.Member(
                name: $0.name, dataset: $0.info.kind, variant: $0.info.variant, format: $0.format, sha256: $0.sha256,
                bytes: $0.bytes, rows: nil)
        }
        return (parsed + listed).sorted { $0.name < $1.name }
    }

    /// The variants present for a dataset.
    public func variants(of kind: DatasetKind) -> [Variant] {
        Array(Set(members.filter { $0.kind == kind }.map(\.variant))).sorted()
    }

    /// The PPRRVU records of a variant.
    public func rvu(_ variant: Variant) -> [RVURecord] {
        if case .pprrvu(let records)? = authoritative(.pprrvu, variant)?.records { return records }
        return []
    }

    public var gpci: [GPCIRecord] {
        if case .gpci(let records)? = authoritative(.gpci)?.records { return records }
        return []
    }

    public var localityCounties: [LocalityCountyRecord] {
        if case .locco(let records)? = authoritative(.locco)?.records { return records }
        return []
    }

    public var anesthesia: [AnesthesiaRecord] {
        if case .anes(let records)? = authoritative(.anes)?.records { return records }
        return []
    }

    public var oppsCaps: [OPPSCapRecord] {
        if case .oppscap(let records)? = authoritative(.oppscap)?.records { return records }
        return []
    }

    /// The `RELEASED` date of the PPRRVU file (the first member that has one).
    public var releasedOn: CalendarDate? {
        (members.first { $0.kind == .pprrvu && $0.releasedOn != nil } ?? members.first { $0.releasedOn != nil })?.releasedOn
    }

    /// The copyright notices (AMA, ADA) of the PPRRVU preamble, as printed.
    public var notices: [String] {
        var seen: [String] = []
        for member in members where member.kind == .pprrvu {
            for notice in member.notices where !seen.contains(notice) { seen.append(notice) }
        }
        return seen
    }

    /// The national anesthesia conversion factor, when the ANES file names one.
    public var nationalAnesthesiaCF: ExactDecimal? {
        members.lazy.compactMap(\.nationalAnesthesiaCF).first
    }

    /// This release with only the records the later stages use: the members that were only
    /// cross-checked keep their counts and findings, not their records (a third to half of the
    /// memory an import holds).
    public func keepingOnlyAuthoritativeRecords() -> ImportedRelease {
        let used = Set(authoritativeMembers.map(\.location))
        return releasingRecords { !used.contains($0.location) }
    }

    /// The release without any member's records (counts, findings and variances stay): what a
    /// summary needs once the records have gone into a merged catalog.
    public func releasingAllRecords() -> ImportedRelease {
        releasingRecords { _ in true }
    }

    /// The release with the records of the members `release` picks released.
    private func releasingRecords(of release: (ParsedMember) -> Bool) -> ImportedRelease {
        ImportedRelease(
            id: id, sourceName: sourceName, sourceSHA256: sourceSHA256,
            members: members.map { release($0) ? $0.releasingRecords() : $0 }, listedMembers: listedMembers,
            otherMembers: otherMembers,
            failedMembers: failedMembers, diagnostics: diagnostics, variances: variances)
    }

    /// True when any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.containsError }
}

/// A dataset member that could not be read (no header, a missing column, a broken file).
public struct FailedMember: Sendable {
    package let info: MemberInfo
    public let location: String
    public let error: Diagnostic

    public var name: String { info.name }
    public var kind: DatasetKind { info.kind }
    public var variant: Variant { info.variant }
    public var format: FileFormat { info.format }
}

extension ImportedRelease {
    /// The authoritative records and member list, for the merger and the exporter.
    public var data: ReleaseData {
        var rvu: [Variant: [RVURecord]] = [:]
        for variant in variants(of: .pprrvu) { rvu[variant] = self.rvu(variant) }
        return ReleaseData(
            id: id, releasedOn: releasedOn, sourceSHA256: sourceSHA256, notices: notices, members: memberList, rvu: rvu, gpci: gpci,
            localityCounties: localityCounties, anesthesia: anesthesia, oppsCaps: oppsCaps,
            nationalAnesthesiaCF: nationalAnesthesiaCF)
    }
}
