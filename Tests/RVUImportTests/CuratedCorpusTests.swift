import Foundation
import GRDB
import RVUCatalog
import RVUCore
import RVUMerge
import RVUPipeline
import RVUTestSupport
import Testing
import ZIPFoundation

/// `rvusamples --curated-corpus`: the built generator, run; its corpus parsed by the project's own
/// parser and merged with the release it was written for.
@Suite(.serialized) struct CuratedCorpusTests {
    static var generator: URL { Binary.url.deletingLastPathComponent().appendingPathComponent("rvusamples") }

    static func generate(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = generator
        process.arguments = ["--curated-corpus"] + arguments
        process.currentDirectoryURL = Golden.repositoryRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    static func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)").path
    }

    @Test func aSampleReleaseGetsAnEntryForEveryCodeAndTheMergeCuratesThemAll() throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.generate(["--release", "RVU26A", "--output", folder])
        #expect(first.status == 0, "\(first.stderr)")
        let files = try Pipeline.curatedFiles(in: folder)
        let (content, diagnostics) = CuratedContentParser.parse(files)
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(3))")
        // Every file of the corpus is read by the fast reader, and read as the Yams path reads it.
        #expect(files.allSatisfy { CuratedContentParser.isReadFast($0) })
        let (plain, _) = CuratedContentParser.parse(files, limits: CuratedLimits(), concurrently: false, fast: false)
        #expect(content.entries == plain.entries)
        #expect(content.categories == plain.categories)
        #expect(content.categories.count > 3)

        let output = "\(folder).sqlite"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Pipeline.run(
            release: ReleaseID(year: 2026, quarter: .a),
            options: .init(source: "Samples/releases", curated: folder, output: output, strict: true))
        let catalog = try #require(result.catalog)
        #expect(catalog.coverage.uncurated.isEmpty)
        #expect(catalog.coverage.curatedNotInRelease.isEmpty)
        #expect(content.entries.count == catalog.coverage.releaseCodes)
        #expect(catalog.codes.allSatisfy { $0.titleSource == .curated })

        // The same bytes on a second run, which replaces the corpus it wrote.
        let second = try Self.generate(["--release", "RVU26A", "--output", folder])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
    }

    @Test func aFolderWithOtherFilesIsRefusedAndTheOptionsAreChecked() throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/notes.txt"))
        let refused = try Self.generate(["--release", "RVU25D", "--output", folder])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("rvusamples: error: \(folder) holds files this command did not write"))
        #expect(try String(contentsOfFile: "\(folder)/notes.txt", encoding: .utf8) == "mine\n")
        #expect(try Self.generate(["--release", "RVU25D"]).stderr.hasPrefix("rvusamples: error: '--curated-corpus' needs '--output"))
        #expect(try Self.generate(["--release", "RVU99A", "--output", Self.temporary()]).status == 1)
    }

    @Test(.enabled(if: RealRelease.available, RealRelease.skipReason))
    func theRealReleaseGetsAFullSizeCorpus() throws {
        let folder = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let archive = "\(RealRelease.folder ?? "")/RVU24B.zip"
        let run = try Self.generate(["--archive", archive, "--output", folder])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try Pipeline.curatedFiles(in: folder)
        let bytes = files.reduce(0) { $0 + $1.text.utf8.count }
        #expect(files.count > 50)
        #expect((12_000_000...20_000_000).contains(bytes))
        let (content, diagnostics) = CuratedContentParser.parse(files)
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(3))")
        // Every distinct code of the imported release, counted by the importer.
        let codes = Set(try RealRelease.rvu24B.get().data.rvu.values.flatMap { $0.map(\.hcpcs) })
        #expect(Set(content.entries.keys) == codes)

        // The catalog of the release with its full corpus, as the benchmark writes it: its version
        // (hashed on another core) is the one read back, every reference resolves (the writer does
        // not check them), and the search index (built on another core, no copy of the text)
        // agrees with the text it indexes and finds codes by number and by word.
        let output = "\(folder).sqlite"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Pipeline.run(
            release: ReleaseID(year: 2024, quarter: .b), options: .init(source: archive, curated: folder, output: output, strict: false))
        let written = try #require(result.written)
        let reader = try CatalogReader(path: output)
        #expect(try reader.computedVersion() == written.catalogVersion)
        let queue = try DatabaseQueue(path: output)
        defer { try? queue.close() }
        try queue.write { db in
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            try db.execute(sql: "INSERT INTO code_search(code_search) VALUES ('integrity-check')")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM code_search") == codes.count)
        }
        let entry = try #require(content.entries["27447"])
        let word = try #require(entry.title.split(separator: " ").first(where: { $0.count > 6 }))
        #expect(try reader.search("27447").first?.code == "27447")
        #expect(try reader.search("2744*").contains { $0.code == "27447" })
        #expect(try reader.search(String(word), limit: 20_000).contains { $0.code == "27447" })
    }

    /// The corpus takes its codes from the import, not from one format: the release with its
    /// PPRRVU CSV members taken out (the workbooks are then authoritative) gives the same corpus.
    @Test(.enabled(if: RealRelease.available, RealRelease.skipReason))
    func anArchiveWithoutItsCSVGivesTheSameCorpus() throws {
        let base = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let archive = "\(RealRelease.folder ?? "")/RVU24B.zip"
        let reduced = "\(base)/without-csv.zip"
        let source = try Archive(url: URL(fileURLWithPath: archive), accessMode: .read)
        let target = try Archive(url: URL(fileURLWithPath: reduced), accessMode: .create)
        var dropped = 0
        for entry in source where entry.type == .file {
            if entry.path.uppercased().hasPrefix("PPRRVU") && entry.path.uppercased().hasSuffix(".CSV") {
                dropped += 1
                continue
            }
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        #expect(dropped > 0)
        let whole = try Self.generate(["--archive", archive, "--output", "\(base)/whole"])
        let partial = try Self.generate(["--archive", reduced, "--output", "\(base)/partial"])
        #expect(whole.status == 0 && partial.status == 0, "\(whole.stderr)\(partial.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: "\(base)/whole").sorted()
        #expect(files.count > 50)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: "\(base)/partial").sorted() == files)
        for file in files {
            #expect(
                FileManager.default.contents(atPath: "\(base)/whole/\(file)")
                    == FileManager.default.contents(atPath: "\(base)/partial/\(file)"),
                "\(file)")
        }
    }

    /// An archive that does not import is refused, naming the problem; nothing is written.
    @Test func anArchiveThatDoesNotImportIsRefused() throws {
        let base = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try Data("not a zip".utf8).write(to: URL(fileURLWithPath: "\(base)/broken.zip"))
        let run = try Self.generate(["--archive", "\(base)/broken.zip", "--output", "\(base)/corpus"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("broken.zip"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(base)/corpus"))
    }
}
