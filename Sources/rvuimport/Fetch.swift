import ArgumentParser
import RVUCore
import RVUFetch
import RVUPipeline

extension RVUImportCommand {
    /// `rvuimport fetch --release ID`: downloads a release into the cache, nothing else.
    struct Fetch: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        static let configuration = CommandConfiguration(
            abstract: "Download a release archive into the cache (checked by checksum and by opening it), nothing else.",
            discussion: """
                The archive comes from the pinned manifest, else from the CMS page (--cms-url skips the \
                manifest). A page's archive is downloaded again even when cached, so that a re-posted revision \
                is noticed by its checksum, and an identical copy is left as it is; a pinned archive already \
                cached with its checksum is not downloaded again. With --offline, the cached archive is \
                reported. Prints the release (with its revision), where it came from, the cached path, its \
                sha-256, and whether the cache changed; as one JSON object with --format json: {"release", \
                "base", "origin", "url", "path", "sha256", "changed"}.

                Exit status: 0 success; 1 the release is not offered (or not cached with --offline); \
                11 the release is not available yet (its page answers 404 or links no zip); 64 usage error; 69 the download failed (network failure after retries, an unexpected page, a \
                response that is not the zip, a checksum mismatch); 74 the cache cannot be written; 77 CMS asks \
                to accept the AMA licence and --accept-ama-license was not given.
                """)

        @Option(help: "The release id, e.g. RVU26A, RVU24AR or rvu26a-updated-12-29-2025.", transform: ReleaseID.argument)
        var release: ReleaseID

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @Option(help: "The configuration file.")
        var config: String = Configuration.fileName

        @OptionGroup(title: "Getting releases from CMS")
        var fetch: FetchArguments

        func run() throws {
            let fetched: ReleaseFetcher.Fetched
            do throws(DiagnosticError) {
                fetched = try ReleaseFetcher.fetch(
                    release, options: fetch.options(Configuration.load(from: config)), preferCache: fetch.offline)
            } catch {
                printError(error.diagnostic.description)
                throw ExitStatus.of(error.diagnostic)
            }
            switch format {
            case .text:
                print("\(fetched.release) (\(fetched.origin.rawValue)\(fetched.url.map { " \($0)" } ?? ""))")
                print("  \(fetched.path)")
                print("  sha-256 \(fetched.sha256)\(fetched.changed ? ", new in the cache" : ", unchanged")")
            case .json:
                print(
                    JSONValue.object([
                        ("release", .string(fetched.release.description)),
                        ("base", .string(fetched.release.base.shortName)),
                        ("origin", .string(fetched.origin.rawValue)),
                        ("url", .string(fetched.url)),
                        ("path", .string(fetched.path)),
                        ("sha256", .string(fetched.sha256)),
                        ("changed", .bool(fetched.changed)),
                    ]).rendered(indent: 2))
            }
        }
    }
}
