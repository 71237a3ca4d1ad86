/// One row of a PPRRVU file: the RVUs and payment policy indicators of a code and modifier.
///
/// Codes, indicators and global days stay text as published (`090`, `09`, `6A`). Numbers are
/// exact; a number column left blank in the file is nil.
public struct RVURecord: Sendable, Hashable, Codable {
    public var hcpcs: String
    /// `""` for none, else `26`, `TC`, `53`, ...
    public var modifier: String
    /// The CMS descriptor. For CPT and dental codes this is AMA or ADA text: never published.
    public var description: String
    public var status: String
    /// The NOT USED FOR MEDICARE PAYMENT mark (`+`).
    public var notUsedForMedicarePayment: Bool
    public var workRVU: ExactDecimal?
    public var nonfacilityPE: ExactDecimal?
    public var nonfacilityNA: Bool
    public var facilityPE: ExactDecimal?
    public var facilityNA: Bool
    public var mpRVU: ExactDecimal?
    public var nonfacilityTotal: ExactDecimal?
    public var facilityTotal: ExactDecimal?
    public var pctc: String
    public var globalDays: String
    public var preOp: ExactDecimal?
    public var intraOp: ExactDecimal?
    public var postOp: ExactDecimal?
    public var multProc: String
    public var bilatSurg: String
    public var asstSurg: String
    public var coSurg: String
    public var teamSurg: String
    /// 2026 on: `1` the QPP indicator applies to qualifying providers, `9` it does not. Nil before.
    public var pricingIndicator: String?
    public var endoBase: String
    public var conversionFactor: ExactDecimal?
    public var supervision: String
    public var calculationFlag: String
    public var imagingFamily: String
    public var oppsNonfacilityPE: ExactDecimal?
    public var oppsFacilityPE: ExactDecimal?
    public var oppsMP: ExactDecimal?

    public init(hcpcs: String, modifier: String) {
        self.hcpcs = hcpcs
        self.modifier = modifier
        description = ""
        status = ""
        notUsedForMedicarePayment = false
        nonfacilityNA = false
        facilityNA = false
        pctc = ""
        globalDays = ""
        multProc = ""
        bilatSurg = ""
        asstSurg = ""
        coSurg = ""
        teamSurg = ""
        endoBase = ""
        supervision = ""
        calculationFlag = ""
        imagingFamily = ""
    }
}

/// One locality's geographic practice cost indices.
public struct GPCIRecord: Sendable, Hashable, Codable {
    /// Medicare administrative contractor, 5 digits.
    public var mac: String
    /// Two-letter state code as printed (`AL`).
    public var state: String
    /// Locality number, 2 digits.
    public var locality: String
    public var name: String
    /// The work GPCI as the file prints it first: with the 1.0 floor where the file has one.
    public var workGPCI: ExactDecimal
    /// The work GPCI without the floor, where the file carries both (nil otherwise).
    public var workGPCIWithoutFloor: ExactDecimal?
    public var peGPCI: ExactDecimal
    public var mpGPCI: ExactDecimal

    public init(
        mac: String, state: String, locality: String, name: String, workGPCI: ExactDecimal,
        workGPCIWithoutFloor: ExactDecimal? = nil, peGPCI: ExactDecimal, mpGPCI: ExactDecimal
    ) {
        self.mac = mac
        self.state = state
        self.locality = locality
        self.name = name
        self.workGPCI = workGPCI
        self.workGPCIWithoutFloor = workGPCIWithoutFloor
        self.peGPCI = peGPCI
        self.mpGPCI = mpGPCI
    }
}

/// One row of the locality to county crosswalk.
public struct LocalityCountyRecord: Sendable, Hashable, Codable {
    public var mac: String
    public var locality: String
    /// The state name, filled down from the first row of its group.
    public var state: String
    public var feeScheduleArea: String
    public var counties: String

    public init(mac: String, locality: String, state: String, feeScheduleArea: String, counties: String) {
        self.mac = mac
        self.locality = locality
        self.state = state
        self.feeScheduleArea = feeScheduleArea
        self.counties = counties
    }
}

/// One locality's anesthesia conversion factor.
public struct AnesthesiaRecord: Sendable, Hashable, Codable {
    public var mac: String
    public var locality: String
    /// The locality name without footnote marks.
    public var name: String
    /// True when the name carried a footnote mark (`*`).
    public var footnoted: Bool
    /// The factor as the file prints it first (from 2026: for clinicians who are not qualifying
    /// APM participants).
    public var conversionFactor: ExactDecimal
    /// The factor for qualifying APM participants, where the file carries a second one (2026 on).
    public var qppConversionFactor: ExactDecimal?

    public init(
        mac: String, locality: String, name: String, footnoted: Bool, conversionFactor: ExactDecimal,
        qppConversionFactor: ExactDecimal? = nil
    ) {
        self.mac = mac
        self.locality = locality
        self.name = name
        self.footnoted = footnoted
        self.conversionFactor = conversionFactor
        self.qppConversionFactor = qppConversionFactor
    }
}

/// One OPPS imaging payment cap.
public struct OPPSCapRecord: Sendable, Hashable, Codable {
    public var hcpcs: String
    /// `""` or `TC`.
    public var modifier: String
    /// The procedure status (`A`, `C`).
    public var status: String
    public var mac: String
    public var locality: String
    public var facilityPrice: ExactDecimal
    public var nonfacilityPrice: ExactDecimal

    public init(
        hcpcs: String, modifier: String, status: String, mac: String, locality: String,
        facilityPrice: ExactDecimal, nonfacilityPrice: ExactDecimal
    ) {
        self.hcpcs = hcpcs
        self.modifier = modifier
        self.status = status
        self.mac = mac
        self.locality = locality
        self.facilityPrice = facilityPrice
        self.nonfacilityPrice = nonfacilityPrice
    }
}
