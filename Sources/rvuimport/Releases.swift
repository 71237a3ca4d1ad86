import ArgumentParser
import RVUCore
import RVUFetch
import RVUPipeline

extension RVUImportCommand {
    /// `rvuimport releases`: the releases the manifest and the CMS page offer.
    struct Releases: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        static let configuration = CommandConfiguration(
            abstract: "List the releases the pinned manifest and the CMS page offer, newest first.",
            discussion: """
                Each line: the release (with the revision the archive name shows), where it is offered \
                (manifest, cms, or cache with --offline), its address, and the cached archive if any. \
                The JSON form is {"releases": [{"release", "base", "revision", "origin", "url", "sha256", \
                "cached"}]}. With --cms-url only that page is read; with --offline only the manifest and \
                the cache.

                Exit status: 0 success; 64 usage error; 69 the CMS page could not be read or does not look \
                as expected; 1 another error (a bad manifest file).
                """)

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @Option(help: "The configuration file.")
        var config: String = Configuration.fileName

        @OptionGroup(title: "Getting releases from CMS")
        var fetch: FetchArguments

        func run() throws {
            let offered: [ReleaseFetcher.Offered]
            do throws(DiagnosticError) {
                offered = try ReleaseFetcher.offered(options: fetch.options(Configuration.load(from: config)))
            } catch {
                printError(error.diagnostic.description)
                throw ExitStatus.of(error.diagnostic)
            }
            switch format {
            case .text:
                let width = offered.map(\.release.description.count).max() ?? 0
                for release in offered {
                    let name = release.release.description
                    let padded = name + String(repeating: " ", count: width - name.count)
                    let origin = release.origin.rawValue + String(repeating: " ", count: 8 - release.origin.rawValue.count)
                    print("\(padded)  \(origin)  \(release.url)\(release.cachedPath.map { "  (cached: \($0))" } ?? "")")
                }
            case .json:
                let items = offered.map { release in
                    JSONValue.object([
                        ("release", .string(release.release.description)),
                        ("base", .string(release.release.base.shortName)),
                        ("revision", .string(release.release.revisionName)),
                        ("origin", .string(release.origin.rawValue)),
                        ("url", .string(release.url)),
                        ("sha256", .string(release.sha256)),
                        ("cached", .string(release.cachedPath)),
                    ])
                }
                print(JSONValue.object([("releases", .array(items))]).rendered(indent: 2))
            }
        }
    }
}
