import Benchmark
import Foundation
import RVUCatalog
import RVUContainers
import RVUCore
import RVUDiff
import RVUImport
import RVUMerge
import RVUPipeline
import ZIPFoundation

/// The real release in $RVU_SHARED_CMS (default ../../shared/cms from this package), else the
/// Samples' RVU26A.
struct Input {
    let path: String
    let release: ReleaseID
    let bytes: [UInt8]
    /// Each member's name and bytes, inflated once up front.
    let members: [(name: String, bytes: [UInt8])]

    static func load() -> Input {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [
            environment["RVU_SHARED_CMS"].map { "\($0)/RVU24B.zip" }, "../../shared/cms/RVU24B.zip", "../../../shared/cms/RVU24B.zip",
            "../Samples/releases/RVU26A.zip",
        ].compactMap { $0 }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path),
                let release = try? ReleaseID(parsing: (path as NSString).lastPathComponent),
                let members = try? ReleaseImporter.members(ofArchive: [UInt8](data), name: path)
            else { continue }
            return Input(path: path, release: release, bytes: [UInt8](data), members: members)
        }
        fatalError("no release archive found: set RVU_SHARED_CMS to the folder holding RVU24B.zip")
    }
}

nonisolated(unsafe) var cachedInput: Input?

func input() -> Input {
    if let cachedInput { return cachedInput }
    let loaded = Input.load()
    cachedInput = loaded
    return loaded
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 30)

    // Every member of the release: each dataset through each reader (CSV, fixed-width, XLSX).
    for member in input().members where ReleaseImporter.canRead(name: member.name, kind: nil) {
        Benchmark("Member to records: \(member.name)") { benchmark in
            benchmark.startMeasurement()
            let parsed = try ReleaseImporter.parseMember(named: member.name, bytes: member.bytes)
            blackHole(parsed.rowCount)
        }
    }

    Benchmark("Inflate every member: ZipArchive (central directory read here, zlib inflate and CRC-32)") { benchmark in
        let input = input()
        benchmark.startMeasurement()
        let members = try ReleaseImporter.members(ofArchive: input.bytes, name: input.path)
        blackHole(members.count)
    }

    Benchmark("Inflate every member: ZIPFoundation extract, zlib CRC-32") { benchmark in
        let input = input()
        let data = Data(input.bytes)
        benchmark.startMeasurement()
        let archive = try Archive(data: data, accessMode: .read)
        var total = 0
        for entry in archive where entry.type == .file {
            var crc: UInt32 = 0
            var member = Data()
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { chunk in
                chunk.withUnsafeBytes { raw in crc = RVUContainers.CRC32.checksum(raw, continuing: crc) }
                member.append(chunk)
            }
            guard crc == entry.checksum else { fatalError("CRC mismatch") }
            total += member.count
        }
        blackHole(total)
    }

    Benchmark("Whole archive: inflate, parse every member, cross-check") { benchmark in
        let input = input()
        benchmark.startMeasurement()
        let imported = try ReleaseImporter.importArchive(bytes: input.bytes, name: input.path, release: input.release)
        blackHole(imported.members.count)
    }

    Benchmark("Diff of two full catalogs") { benchmark in
        let input = input()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-diff-\(ProcessInfo.processInfo.processIdentifier)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let old = "\(folder)/old.sqlite"
        let new = "\(folder)/new.sqlite"
        _ = try Pipeline.run(release: input.release, options: .init(source: input.path, curated: nil, output: old, strict: false))
        try FileManager.default.copyItem(atPath: old, toPath: new)
        // Change about 1% of the RVU rows and payments of the copy.
        try CatalogEditor.execute(
            new,
            sql: """
                UPDATE rvu SET work_rvu = work_rvu + 0.01 WHERE rowid % 100 = 0;
                UPDATE national_payment SET nonfacility_amount = nonfacility_amount + 1 WHERE rowid % 100 = 0;
                """)
        benchmark.startMeasurement()
        let diff = try CatalogDiff.compare(CatalogReader(path: old), CatalogReader(path: new))
        benchmark.stopMeasurement()
        blackHole(diff.isEmpty)
    }

    // Synthetic releases of 1, 4 and 16 times a real one's rows (written by Scripts/bench.sh with
    // `rvusamples --synthetic N` into $RVU_SYNTHETIC_DIR/xN): cost should grow linearly.
    if let folder = ProcessInfo.processInfo.environment["RVU_SYNTHETIC_DIR"] {
        for scale in [1, 4, 16] {
            let source = "\(folder)/x\(scale)/RVU30A.zip"
            guard FileManager.default.fileExists(atPath: source) else { continue }
            Benchmark(
                "Whole run, synthetic release \(scale)x",
                configuration: .init(maxDuration: .seconds(scale >= 16 ? 60 : 20), maxIterations: scale >= 16 ? 5 : 10)
            ) { benchmark in
                let output = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "bench-synthetic-\(ProcessInfo.processInfo.processIdentifier).sqlite"
                ).path
                // A 16x release has more rows and bytes than the default limits allow.
                var limits = ImportLimits()
                limits.maximumRows = 16 * limits.maximumRows
                limits.maximumTotalBytes = 16 * limits.maximumTotalBytes
                limits.maximumMemberBytes = 16 * limits.maximumMemberBytes
                limits.maximumArchiveBytes = 16 * limits.maximumArchiveBytes
                benchmark.startMeasurement()
                let result = try Pipeline.run(
                    release: ReleaseID(year: 2030, quarter: .a),
                    options: .init(source: source, curated: nil, output: output, strict: false, limits: limits))
                benchmark.stopMeasurement()
                guard let written = result.written else {
                    fatalError("the synthetic release did not import: \(result.diagnostics.prefix(3))")
                }
                blackHole(written.catalogVersion)
                try? FileManager.default.removeItem(atPath: output)
            }
        }
    }

    // The full synthetic curated corpus of the release (written by Scripts/bench.sh with
    // `rvusamples --curated-corpus` into $RVU_CURATED_CORPUS): about 16,000 entries, 16 MB.
    if let corpus = ProcessInfo.processInfo.environment["RVU_CURATED_CORPUS"], FileManager.default.fileExists(atPath: corpus) {
        Benchmark("Curated corpus: parse every file (read up front)") { benchmark in
            let files = try Pipeline.curatedFiles(in: corpus)
            benchmark.startMeasurement()
            let (content, diagnostics) = CuratedContentParser.parse(files)
            benchmark.stopMeasurement()
            guard diagnostics.isEmpty else { fatalError("the corpus does not parse: \(diagnostics.prefix(3))") }
            blackHole(content.entries.count)
        }

        Benchmark("Whole run with the full curated corpus: import, read and parse the corpus, merge, write catalog") { benchmark in
            let input = input()
            let output = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bench-corpus-\(ProcessInfo.processInfo.processIdentifier).sqlite"
            ).path
            benchmark.startMeasurement()
            let result = try Pipeline.run(
                release: input.release, options: .init(source: input.path, curated: corpus, output: output, strict: false))
            benchmark.stopMeasurement()
            guard result.written != nil else { fatalError("the run failed: \(result.diagnostics.prefix(3))") }
            blackHole(result.written?.catalogVersion)
            try? FileManager.default.removeItem(atPath: output)
        }
    }

    Benchmark("Whole run: import, merge, write catalog") { benchmark in
        let input = input()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-\(ProcessInfo.processInfo.processIdentifier).sqlite"
        ).path
        benchmark.startMeasurement()
        let result = try Pipeline.run(
            release: input.release,
            options: .init(source: input.path, curated: nil, output: output, strict: false))
        benchmark.stopMeasurement()
        blackHole(result.written?.catalogVersion)
        try? FileManager.default.removeItem(atPath: output)
    }
}
