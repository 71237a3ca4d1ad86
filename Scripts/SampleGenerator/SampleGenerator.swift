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

    static let usage = """
        USAGE: rvusamples [--output <directory>] [--synthetic <scale>]

        Writes the synthetic sample releases RVU25D.zip and RVU26A.zip (see Samples/README.md).

        OPTIONS:
          --output <directory>  Folder for the archives (default: Samples/releases).
          --synthetic <scale>   Write only RVU30A.zip, a release of real size for benchmarks with
                                <scale> times the rows of a real one (1 to 64).
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
        while let argument = remaining.popFirst() {
            switch argument {
            case "-h", "--help":
                return nil
            case "--synthetic":
                guard let value = remaining.popFirst(), let scale = Int(value), (1...64).contains(scale) else {
                    throw Failure(description: "'--synthetic' needs a scale from 1 to 64")
                }
                generator.syntheticScale = scale
            case "--output":
                guard let value = remaining.popFirst(), !value.isEmpty else {
                    throw Failure(description: "missing value for '--output'")
                }
                generator.outputDirectory = value
            default:
                if argument.hasPrefix("--output=") {
                    generator.outputDirectory = String(argument.dropFirst("--output=".count))
                } else {
                    throw Failure(description: "unknown argument '\(argument)'")
                }
            }
        }
        return generator
    }

    /// Writes every sample release; returns one line per archive.
    func run() throws -> [String] {
        let directory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var report: [String] = []
        let releases = syntheticScale.map { [SampleData.synthetic(scale: $0)] } ?? SampleData.releases()
        for release in releases {
            let renderer = ReleaseRenderer(release: release)
            let data = try renderer.archive()
            let url = directory.appendingPathComponent(renderer.archiveName)
            let unchanged = (try? Data(contentsOf: url)) == data
            if !unchanged { try data.write(to: url, options: .atomic) }
            let digest = SHA256.hex([UInt8](data))
            report.append(
                "\(unchanged ? "unchanged" : "wrote") \(outputDirectory)/\(renderer.archiveName): \(data.count) bytes, sha256 \(digest)")
        }
        return report
    }
}
