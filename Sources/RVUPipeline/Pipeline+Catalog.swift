import Foundation
import RVUCatalog
import RVUCore
import RVUFetch
import RVUImport
import RVUMerge

extension Pipeline {
    /// What a full run produced.
    public struct RunResult: Sendable {
        public let imported: ImportedRelease
        public let catalog: MergedCatalog?
        public let written: CatalogWriter.Result?
        /// Every diagnostic: the release's, then the curated content's.
        public let diagnostics: [Diagnostic]
    }

    /// Options of a full run.
    public struct RunOptions: Sendable {
        public var source: String
        public var curated: String?
        public var output: String
        public var strict: Bool
        /// Where to get the release when `source` does not hold it (nil: nowhere else).
        public var fetch: ReleaseFetcher.Options?
        /// The size, ratio and record caps of the import.
        public var limits: ImportLimits
        /// Which formats are parsed and cross-checked besides the authoritative CSV.
        public var verify: Verification
        /// Replace a file at `output` even when it is not a catalog.
        public var force: Bool
        /// Whether CMS's CPT and dental descriptors are kept (only under the AMA's and ADA's licences).
        public var descriptors: DescriptorPolicy
        /// The size caps of the curated files and their fields.
        public var curatedLimits = CuratedLimits()

        public init(
            source: String, curated: String?, output: String, strict: Bool, fetch: ReleaseFetcher.Options? = nil,
            limits: ImportLimits = ImportLimits(), verify: Verification = .txt, force: Bool = false,
            descriptors: DescriptorPolicy = .withheld
        ) {
            self.source = source
            self.curated = curated
            self.output = output
            self.strict = strict
            self.fetch = fetch
            self.limits = limits
            self.verify = verify
            self.force = force
            self.descriptors = descriptors
        }
    }

    /// Runs every stage, one after the other: locate (or fetch) and import the release (its
    /// members parsed in parallel), load the curated content, merge, and write the catalog.
    /// Nothing is written when any stage found an error.
    ///
    ///     release (source, else cache, manifest, CMS) -> ImportedRelease -> (+ CuratedContent) MergedCatalog -> SQLite catalog
    public static func run(release: ReleaseID, options: RunOptions) throws(DiagnosticError) -> RunResult {
        var lap = StageTiming.mark()
        func stage(_ name: String) {
            StageTiming.report(name, since: lap)
            lap = StageTiming.mark()
        }
        let input = try locate(release, in: options.source, fetch: options.fetch)
        var curated = CuratedContent()
        var curatedDiagnostics: [Diagnostic] = []
        var parsing: ConcurrentMap.Pending<(CuratedContent, [Diagnostic])>?
        if let folder = options.curated {
            let files = try curatedFiles(in: folder, limits: options.curatedLimits)
            stage("curated files read")
            // Parsed while the release is imported.
            let limits = options.curatedLimits
            parsing = ConcurrentMap.start { CuratedContentParser.parse(files, limits: limits) }
            if files.isEmpty {
                curatedDiagnostics.append(
                    .warning(
                        .curatedEmpty,
                        "the curated folder holds no .yaml files: no code will have a curated title or text; check --curated",
                        at: SourceLocation(file: folder)))
            }
        }
        var importOptions = ReleaseImporter.Options(strict: options.strict, verify: options.verify)
        importOptions.limits = options.limits
        // The members that were only cross-checked are not needed past the import.
        var imported: ImportedRelease
        do {
            imported = try importRelease(input, release: release, options: importOptions).keepingOnlyAuthoritativeRecords()
        } catch {
            _ = parsing?.value
            throw error
        }
        stage("import and curated content")
        if let parsing {
            let (content, found) = parsing.value
            curated = content
            curatedDiagnostics = (found + curatedDiagnostics).map { $0.escalated(strict: options.strict) }
            stage("curated content, after the import")
        }
        let diagnostics = imported.diagnostics + curatedDiagnostics
        guard !diagnostics.containsError else {
            return RunResult(imported: imported, catalog: nil, written: nil, diagnostics: diagnostics)
        }
        let data = imported.data
        // The summary needs only the import's counts and findings: the records are held once.
        imported = imported.releasingAllRecords()
        let catalog = Merger.merge(data, curated: curated, descriptors: options.descriptors)
        stage("merge")
        let written = try CatalogWriter.write(catalog, to: options.output, replacingAnyFile: options.force)
        stage("write catalog")
        return RunResult(imported: imported, catalog: catalog, written: written, diagnostics: diagnostics)
    }

    /// The release in `source`; when it is not there and `fetch` is given, the release's archive
    /// from the cache, the manifest or the CMS pages. A fetch error says why the download
    /// failed; the local miss it follows is not repeated.
    public static func locate(
        _ release: ReleaseID, in source: String, fetch: ReleaseFetcher.Options?
    ) throws(DiagnosticError) -> ReleaseInput {
        do {
            return try ReleaseLocator.locate(release, in: source)
        } catch {
            guard let fetch, [.sourceNotFound, .releaseNotFound].contains(error.diagnostic.code) else { throw error }
            return .archive(path: try ReleaseFetcher.fetch(release, options: fetch).path)
        }
    }

    /// The `.yaml`/`.yml` files below a folder, named relative to it (`codes/visits.yaml`). A
    /// file larger than `limits` allows is not read, and a file that is not UTF-8 is not kept:
    /// each is returned with its error (``CuratedContentParser/File/refusal``), which the parser
    /// reports beside the other files' diagnostics. Throws only when the folder or a file
    /// cannot be read at all (a pipe, a device, no permission).
    public static func curatedFiles(
        in folder: String, limits: CuratedLimits = CuratedLimits()
    ) throws(DiagnosticError) -> [CuratedContentParser.File] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticError(
                .curatedNotFound, "no such folder; pass --curated with the folder of curated YAML files",
                at: SourceLocation(file: folder))
        }
        // Through the folder's real path: a folder given as a symbolic link is enumerated too.
        let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        let paths = (FileManager.default.enumerator(atPath: real)?.allObjects as? [String]) ?? []
        var files: [CuratedContentParser.File] = []
        for relative in paths.sorted() where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
            let name = ((folder as NSString).lastPathComponent as NSString).appendingPathComponent(relative)
            let path = ReleaseLocator.join(folder, relative)
            func tooLarge(_ size: Int) -> CuratedContentParser.File {
                let limit = ImportLimits.describe(bytes: limits.maximumFileBytes)
                return CuratedContentParser.File(
                    name: name,
                    refusal: .error(
                        .curatedFileTooLarge, "the file is \(size) bytes, more than the limit of \(limit); split it into smaller files",
                        at: SourceLocation(file: name)))
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            if let size, size > limits.maximumFileBytes {
                files.append(tooLarge(size))
                continue
            }
            let bytes = try readFile(path)
            guard bytes.count <= limits.maximumFileBytes else {  // It grew since.
                files.append(tooLarge(bytes.count))
                continue
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                files.append(CuratedContentParser.File(name: name, refusal: notUTF8(bytes, name: name)))
                continue
            }
            files.append(CuratedContentParser.File(name: name, text: text))
        }
        return files
    }

    /// The error for a file that is not UTF-8, naming the first line that is not.
    private static func notUTF8(_ bytes: [UInt8], name: String) -> Diagnostic {
        var line = 1
        for text in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: text, as: UTF8.self) == nil { break }
            line += 1
        }
        return .error(
            .curatedEncoding, "the file is not UTF-8 text (this line is not); save it as UTF-8",
            at: SourceLocation(file: name, line: line))
    }
}
