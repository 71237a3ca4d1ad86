import Foundation
import RVUCore

/// The `rvusamples` command: renders every sample release and writes each archive atomically
/// into the output folder. The same sources give the same bytes on every run (fixed entry order
/// and dates, no clock, no randomness).
///
///     SampleData.releases() -> ReleaseRenderer (CSV, TXT, XLSX per dataset) -> ZIPWriter -> file
struct SampleGenerator {
    /// Where the archives go.
    var outputDirectory = "Samples/releases"
    /// When set, writes only the synthetic benchmark release at this scale.
    var syntheticScale: Int?
    /// When set, writes this many quarterly releases ending at RVU25D, a correction and `series.json`.
    var seriesCount: Int?
    /// The codes of a series' first release (`--codes`).
    var seriesCodes = 16_360
    /// When set, writes a synthetic curated corpus for this release instead of archives.
    var curatedCorpus: CorpusSource?
    /// Whether `--output` was given (the corpus needs one).
    var outputGiven = false

    /// Where the corpus's codes come from.
    enum CorpusSource: Equatable {
        /// A sample release (`RVU25D`, `RVU26A`).
        case sample(String)
        /// Any release archive (its PPRRVU CSV members).
        case archive(String)
    }

    static let usage = """
        USAGE: rvusamples [--output <directory>] [--synthetic <scale>]
               rvusamples --series <count> [--codes <count>] --output <directory>
               rvusamples --curated-corpus (--release <id> | --archive <zip>) --output <directory>

        Writes the synthetic sample releases RVU25D.zip and RVU26A.zip (see Samples/README.md), or a
        synthetic curated corpus with an entry for every code of a release.

        OPTIONS:
          --output <directory>  Folder for the archives (default: Samples/releases).
          --synthetic <scale>   Write only RVU30A.zip, a release of real size for benchmarks with
                                <scale> times the rows of a real one (1 to 64).
          --series <count>      Write <count> (1 to 40) successive quarterly releases of real size
                                ending at RVU25D (40: RVU16A to RVU25D), plus one correction
                                (RVU24AR when RVU24A is among them), and series.json listing
                                what each changed: about 2% of the rows' RVUs, 1% of the codes
                                added (one a code deleted before), 0.5% deleted, a TC and 26 row
                                appearing.
          --codes <count>       The codes of the series' first release (100 to 65536; default
                                16360, as --synthetic 1).
          --curated-corpus      Write a synthetic curated corpus (made-up text) for every code of
                                the release given with --release or --archive, into --output (a new
                                or empty folder, or one this command wrote before).
          --release <id>        A sample release: RVU25D or RVU26A.
          --archive <zip>       A release archive (its PPRRVU .csv members), e.g. RVU24B.zip.
          -h, --help            Show this help.
        """

    /// Why the command stopped.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses the arguments (without the program name). Returns nil when help was asked for.
    static func parse(_ arguments: [String]) throws(Failure) -> SampleGenerator? {
        var generator = SampleGenerator()
        var remaining = arguments[...]
        var wantsCorpus = false
        var corpusSource: CorpusSource?
        var codesGiven = false
        while let argument = remaining.popFirst() {
            switch argument {
            case "-h", "--help":
                return nil
            case "--synthetic":
                guard let value = remaining.popFirst(), let scale = Int(value), (1...64).contains(scale) else {
                    throw Failure(description: "'--synthetic' needs a scale from 1 to 64")
                }
                generator.syntheticScale = scale
            case "--series", "--codes":
                let range = argument == "--series" ? 1...SampleData.seriesMaximum : 100...65_536
                guard let value = remaining.popFirst(), let count = Int(value), range.contains(count) else {
                    throw Failure(description: "'\(argument)' needs a number from \(range.lowerBound) to \(range.upperBound)")
                }
                if argument == "--series" { generator.seriesCount = count } else { generator.seriesCodes = count }
                codesGiven = codesGiven || argument == "--codes"
            case "--output":
                guard let value = remaining.popFirst(), !value.isEmpty else {
                    throw Failure(description: "missing value for '--output'")
                }
                generator.outputDirectory = value
                generator.outputGiven = true
            case "--curated-corpus":
                wantsCorpus = true
            case "--release", "--archive":
                guard let value = remaining.popFirst(), !value.isEmpty else {
                    throw Failure(description: "missing value for '\(argument)'")
                }
                guard corpusSource == nil else { throw Failure(description: "give one of '--release' and '--archive'") }
                corpusSource = argument == "--release" ? .sample(value) : .archive(value)
            default:
                if argument.hasPrefix("--output=") {
                    generator.outputDirectory = String(argument.dropFirst("--output=".count))
                    generator.outputGiven = true
                } else {
                    throw Failure(description: "unknown argument '\(argument)'")
                }
            }
        }
        if generator.seriesCount != nil {
            guard generator.outputGiven else { throw Failure(description: "'--series' needs '--output <directory>'") }
            guard generator.syntheticScale == nil, !wantsCorpus else {
                throw Failure(description: "'--series' cannot be combined with '--synthetic' or '--curated-corpus'")
            }
        } else if codesGiven {
            throw Failure(description: "'--codes' goes with '--series'")
        }
        if wantsCorpus {
            guard let corpusSource else { throw Failure(description: "'--curated-corpus' needs '--release' or '--archive'") }
            guard generator.outputGiven else { throw Failure(description: "'--curated-corpus' needs '--output <directory>'") }
            guard generator.syntheticScale == nil else {
                throw Failure(description: "'--curated-corpus' and '--synthetic' cannot be combined")
            }
            generator.curatedCorpus = corpusSource
        } else if corpusSource != nil {
            throw Failure(description: "'--release' and '--archive' go with '--curated-corpus'")
        }
        return generator
    }

    /// Writes every sample release; returns one line per archive.
    func run() throws -> [String] {
        if let curatedCorpus { return try writeCorpus(curatedCorpus) }
        let directory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var report: [String] = []
        var releases = syntheticScale.map { [SampleData.synthetic(scale: $0)] } ?? SampleData.releases()
        var manifest: SeriesManifest?
        if let seriesCount {
            let series = SampleData.series(count: seriesCount, codes: seriesCodes)
            releases = series.releases
            manifest = series.manifest
        }
        for release in releases {
            let renderer = ReleaseRenderer(release: release)
            report.append(try write(try renderer.archive(), named: renderer.archiveName, in: directory))
        }
        if let manifest {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            report.append(try write(try encoder.encode(manifest) + Data("\n".utf8), named: "series.json", in: directory))
        }
        return report
    }

    /// Writes `data` to `name` in `directory` unless the file holds it already; returns the line
    /// to print.
    private func write(_ data: Data, named name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        let unchanged = (try? Data(contentsOf: url)) == data
        if !unchanged { try data.write(to: url, options: .atomic) }
        let digest = SHA256.hex([UInt8](data))
        return "\(unchanged ? "unchanged" : "wrote") \(outputDirectory)/\(name): \(data.count) bytes, sha256 \(digest)"
    }
}
