/// A release's data as the later stages need it: the authoritative records of each dataset and
/// what the archive held. Produced by the importer; read by the merger and the exporter.
public struct ReleaseData: Sendable {
    /// One dataset member of the archive.
    public struct Member: Sendable, Hashable {
        public var name: String
        public var dataset: DatasetKind
        public var variant: Variant
        public var format: FileFormat
        public var sha256: String
        public var bytes: Int
        /// The records read; nil for a member that was listed but not parsed.
        public var rows: Int?

        public init(name: String, dataset: DatasetKind, variant: Variant, format: FileFormat, sha256: String, bytes: Int, rows: Int?) {
            self.name = name
            self.dataset = dataset
            self.variant = variant
            self.format = format
            self.sha256 = sha256
            self.bytes = bytes
            self.rows = rows
        }
    }

    public var id: ReleaseID
    public var releasedOn: CalendarDate?
    /// SHA-256 of the archive (nil for a folder of unpacked members).
    public var sourceSHA256: String?
    /// Copyright notices (AMA, ADA) printed in the PPRRVU preamble.
    public var notices: [String]
    public var members: [Member]
    /// PPRRVU records by variant (`general`, and `qpp` from 2026).
    public var rvu: [Variant: [RVURecord]]
    public var gpci: [GPCIRecord]
    public var localityCounties: [LocalityCountyRecord]
    public var anesthesia: [AnesthesiaRecord]
    public var oppsCaps: [OPPSCapRecord]
    public var nationalAnesthesiaCF: ExactDecimal?

    public init(
        id: ReleaseID, releasedOn: CalendarDate?, sourceSHA256: String?, notices: [String], members: [Member],
        rvu: [Variant: [RVURecord]], gpci: [GPCIRecord], localityCounties: [LocalityCountyRecord],
        anesthesia: [AnesthesiaRecord], oppsCaps: [OPPSCapRecord], nationalAnesthesiaCF: ExactDecimal?
    ) {
        self.id = id
        self.releasedOn = releasedOn
        self.sourceSHA256 = sourceSHA256
        self.notices = notices
        self.members = members
        self.rvu = rvu
        self.gpci = gpci
        self.localityCounties = localityCounties
        self.anesthesia = anesthesia
        self.oppsCaps = oppsCaps
        self.nationalAnesthesiaCF = nationalAnesthesiaCF
    }
}
