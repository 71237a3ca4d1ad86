import RVUImport
import RVUPipeline

/// The distinct codes of a release, for the synthetic curated corpus: from a sample release's
/// values, or from any release archive, read by the importer.
enum CorpusCodes {
    /// Why the codes could not be read.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The codes of the sample release `id` (`RVU25D`, `RVU26A`).
    static func ofSample(_ id: String) throws(Failure) -> [String] {
        guard let release = SampleData.releases().first(where: { $0.id == id }) else {
            let known = SampleData.releases().map(\.id).joined(separator: ", ")
            throw Failure(description: "no sample release '\(id)' (known: \(known)); use --archive for another release")
        }
        return Array(Set(release.rvuRows.map(\.hcpcs))).sorted()
    }

    /// The codes of the release archive at `path`, as the import reads them: every PPRRVU
    /// variant's records, from the authoritative format of each (whatever the layout or format).
    static func ofArchive(_ path: String) throws(Failure) -> [String] {
        var options = ReleaseImporter.Options(verify: .csv)
        options.requireAllDatasets = false
        let imported: ImportedRelease
        do {
            imported = try Pipeline.inspect(path: path, options: options)
        } catch {
            throw Failure(description: error.diagnostic.description)
        }
        if let error = imported.diagnostics.first(where: { $0.severity == .error }) {
            throw Failure(description: "\(error.description)\n\(path): the release does not import; fix it or pass another archive")
        }
        let codes = Set(imported.variants(of: .pprrvu).flatMap { imported.rvu($0).map(\.hcpcs) })
        guard !codes.isEmpty else { throw Failure(description: "\(path): no PPRRVU rows in the archive") }
        return codes.sorted()
    }
}
