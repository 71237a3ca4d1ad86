import Foundation
import RVUCore

extension SampleGenerator {
    /// The file that marks a folder as a corpus this command wrote, so that a rerun may replace it.
    static let corpusMarker = ".rvusamples-corpus"

    /// Writes the synthetic curated corpus into the output folder, replacing a corpus written
    /// there before; refuses a folder that holds anything else. Returns the summary lines.
    func writeCorpus(_ source: CorpusSource) throws -> [String] {
        let codes: [String]
        switch source {
        case .sample(let id): codes = try CorpusCodes.ofSample(id)
        case .archive(let path): codes = try CorpusCodes.ofArchive(path)
        }
        let corpus = CuratedCorpus(codes: codes)
        let manager = FileManager.default
        let directory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        let existing = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        if !existing.isEmpty {
            guard existing.contains(Self.corpusMarker) else {
                throw Failure(
                    description: "\(outputDirectory) holds files this command did not write; give a new or empty folder to '--output'")
            }
            for name in existing { try manager.removeItem(at: directory.appendingPathComponent(name)) }
        }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("Written by rvusamples --curated-corpus; the folder is replaced on the next run.\n".utf8)
            .write(to: directory.appendingPathComponent(Self.corpusMarker))
        var bytes = 0
        var hasher = SHA256()
        let files = corpus.files()
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let data = Data(file.text.utf8)
            try data.write(to: url, options: .atomic)
            bytes += data.count
            hasher.update(Array(file.path.utf8) + [0] + Array(data) + [0])
        }
        let digest = hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        var report = [
            "wrote \(outputDirectory): \(codes.count - corpus.skippedCodes.count) entries in \(files.count) files, \(bytes) bytes, sha256 \(digest)"
        ]
        if !corpus.skippedCodes.isEmpty {
            report.append(
                "skipped \(corpus.skippedCodes.count) codes of no known form: \(corpus.skippedCodes.prefix(5).joined(separator: ", "))")
        }
        return report
    }
}
