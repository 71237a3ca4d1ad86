import RVUCore
import RVUImport

/// The imported records of a release as canonical text, for golden files: each dataset's
/// authoritative records in file order, one per line, fields as `name=value` separated by tabs.
public enum RecordsDump {
    public static func text(_ release: ImportedRelease) -> String {
        var output = "# release \(release.id) released_on=\(release.releasedOn?.description ?? "NULL")\n"
        for notice in release.notices { output += "notice=\(notice)\n" }
        if let national = release.nationalAnesthesiaCF { output += "national_anesthesia_cf=\(national)\n" }
        func d(_ value: ExactDecimal?) -> String { value?.description ?? "NULL" }
        for variant in release.variants(of: .pprrvu) {
            output += "# pprrvu \(variant.rawValue) (\(release.authoritative(.pprrvu, variant)?.name ?? "?"))\n"
            for r in release.rvu(variant) {
                let fields: [(String, String)] = [
                    ("hcpcs", r.hcpcs), ("mod", r.modifier), ("description", r.description), ("status", r.status),
                    ("not_used", r.notUsedForMedicarePayment ? "+" : ""), ("work", d(r.workRVU)), ("nf_pe", d(r.nonfacilityPE)),
                    ("nf_na", r.nonfacilityNA ? "NA" : ""), ("f_pe", d(r.facilityPE)), ("f_na", r.facilityNA ? "NA" : ""),
                    ("mp", d(r.mpRVU)), ("nf_total", d(r.nonfacilityTotal)), ("f_total", d(r.facilityTotal)), ("pctc", r.pctc),
                    ("glob", r.globalDays), ("pre", d(r.preOp)), ("intra", d(r.intraOp)), ("post", d(r.postOp)),
                    ("mult", r.multProc), ("bilat", r.bilatSurg), ("asst", r.asstSurg), ("co", r.coSurg), ("team", r.teamSurg),
                    ("pricing", r.pricingIndicator ?? "NULL"), ("endo", r.endoBase), ("cf", d(r.conversionFactor)),
                    ("supervision", r.supervision), ("calc", r.calculationFlag), ("di_family", r.imagingFamily),
                    ("opps_nf_pe", d(r.oppsNonfacilityPE)), ("opps_f_pe", d(r.oppsFacilityPE)), ("opps_mp", d(r.oppsMP)),
                ]
                output += fields.map { "\($0)=\($1)" }.joined(separator: "\t") + "\n"
            }
        }
        output += "# gpci (\(release.authoritative(.gpci)?.name ?? "?"))\n"
        for r in release.gpci {
            output +=
                "mac=\(r.mac)\tlocality=\(r.locality)\tstate=\(r.state)\tname=\(r.name)\twork=\(r.workGPCI)\twork_no_floor=\(d(r.workGPCIWithoutFloor))\tpe=\(r.peGPCI)\tmp=\(r.mpGPCI)\n"
        }
        output += "# locco (\(release.authoritative(.locco)?.name ?? "?"))\n"
        for r in release.localityCounties {
            output += "mac=\(r.mac)\tlocality=\(r.locality)\tstate=\(r.state)\tarea=\(r.feeScheduleArea)\tcounties=\(r.counties)\n"
        }
        output += "# anes (\(release.authoritative(.anes)?.name ?? "?"))\n"
        for r in release.anesthesia {
            output +=
                "mac=\(r.mac)\tlocality=\(r.locality)\tname=\(r.name)\tfootnoted=\(r.footnoted)\tcf=\(r.conversionFactor)\tcf_qpp=\(d(r.qppConversionFactor))\n"
        }
        output += "# oppscap (\(release.authoritative(.oppscap)?.name ?? "?"))\n"
        for r in release.oppsCaps {
            output +=
                "hcpcs=\(r.hcpcs)\tmod=\(r.modifier)\tstatus=\(r.status)\tmac=\(r.mac)\tlocality=\(r.locality)\tfacility=\(r.facilityPrice)\tnonfacility=\(r.nonfacilityPrice)\n"
        }
        return output
    }
}
