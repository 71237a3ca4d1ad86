import RVUCore

/// The values of one PPRRVU row in effect on a date of service, from a history file
/// (see ``HistoryLookup``). Decimals are the published text (`1.30`), nil where the release left
/// the value out.
public struct HistoryAnswer: Sendable, Equatable {
    public let code: String
    /// Empty for the row without a modifier.
    public let modifier: String
    /// `general` or `qpp`.
    public let variant: String
    public let date: CalendarDate
    /// The release in effect on `date`: the latest loaded release taking effect on or before it,
    /// even where its values equal an earlier release's and the periods were merged.
    public let releaseID: String
    /// The release whose values begin the period (`rvu_period.release_id`).
    public let periodReleaseID: String
    /// The period holding `date`: its first day, and the first day it no longer applies (nil
    /// while it is open).
    public let effectiveFrom: CalendarDate
    public let effectiveTo: CalendarDate?
    /// True when `date` falls in a quarter with no loaded release: the values are an earlier
    /// release's, carried forward (see ``HistoryTimeline/carriedForward``).
    public let carriedForward: Bool
    /// The values in ``HistorySchema/rvuValueColumns`` order.
    public let values: [String?]

    public var status: String? { value("status") }
    public var workRVU: String? { value("work_rvu") }
    public var nonfacilityTotal: String? { value("nonfacility_total") }
    public var facilityTotal: String? { value("facility_total") }
    public var nonfacilityAmount: String? { value("nonfacility_amount") }
    public var facilityAmount: String? { value("facility_amount") }

    /// The value of a column of ``HistorySchema/rvuValueColumns``.
    public func value(_ column: String) -> String? {
        guard let index = HistorySchema.rvuValueColumns.firstIndex(of: column), index < values.count else { return nil }
        return values[index]
    }

    /// The JSON object `wrvu` prints, keys in this order (docs/history.md): decimals as
    /// published numbers, a missing value or modifier as null.
    public var json: JSONValue {
        func decimal(_ column: String) -> JSONValue { value(column).map { .number($0) } ?? .null }
        return .object([
            ("code", .string(code)),
            ("modifier", modifier.isEmpty ? .null : .string(modifier)),
            ("variant", .string(variant)),
            ("date", .string(date.description)),
            ("release_id", .string(releaseID)),
            ("effective_from", .string(effectiveFrom.description)),
            ("effective_to", .string(effectiveTo?.description)),
            ("carried_forward", .bool(carriedForward)),
            ("status", .string(status)),
            ("work_rvu", decimal("work_rvu")),
            ("nonfacility_total", decimal("nonfacility_total")),
            ("facility_total", decimal("facility_total")),
            ("nonfacility_amount", decimal("nonfacility_amount")),
            ("facility_amount", decimal("facility_amount")),
        ])
    }
}
