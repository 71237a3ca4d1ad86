import Foundation
import RVUCore
import RVUPipeline
import RVUTestSupport
import Testing

@Suite struct ReleaseLocatorTests {
    func folder(with files: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("locator-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in files {
            if file.hasSuffix("/") {
                try FileManager.default.createDirectory(atPath: "\(path)/\(file)", withIntermediateDirectories: true)
            } else {
                try Data("x".utf8).write(to: URL(fileURLWithPath: "\(path)/\(file)"))
            }
        }
        return path
    }

    func located(_ id: String, in path: String) throws -> String {
        let input = try ReleaseLocator.locate(try ReleaseID(parsing: id), in: path)
        return (input.path as NSString).lastPathComponent
    }

    @Test func theNewestRevisionWinsUnlessOneIsAskedFor() throws {
        let path = try folder(with: [
            "RVU25D.zip", "rvu25d-updated-09-15-2025.zip", "RVU25DR.zip", "rvu25c.zip", "notes.txt", "RVU26A.zip",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try located("RVU25D", in: path) == "rvu25d-updated-09-15-2025.zip")
        #expect(try located("RVU25DR", in: path) == "RVU25DR.zip")
        #expect(try located("rvu25d-updated-09-15-2025", in: path) == "rvu25d-updated-09-15-2025.zip")
        #expect(try located("RVU25C", in: path) == "rvu25c.zip")
        #expect(try located("RVU26A", in: path) == "RVU26A.zip")
    }

    @Test func aFileIsUsedAsItIs() throws {
        let path = try folder(with: ["whatever.zip"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            try ReleaseLocator.locate(try ReleaseID(parsing: "RVU25D"), in: "\(path)/whatever.zip")
                == .archive(path: "\(path)/whatever.zip"))
    }

    @Test func unpackedMembersInAReleaseFolderOrTheSourceItself() throws {
        let path = try folder(with: ["RVU25D/", "PPRRVU2024_Jan.csv", "readme.pdf"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(path)/RVU25D/GPCI2025.csv"))
        #expect(
            try ReleaseLocator.locate(try ReleaseID(parsing: "RVU25D"), in: path)
                == .folder(path: "\(path)/RVU25D", files: ["GPCI2025.csv"]))
        #expect(try ReleaseLocator.locate(try ReleaseID(parsing: "RVU24A"), in: path) == .folder(path: path, files: ["PPRRVU2024_Jan.csv"]))
    }

    @Test func nothingFoundSaysWhatWasThere() throws {
        let path = try folder(with: ["RVU25C.zip", "other.txt"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let release = try ReleaseID(parsing: "RVU25D")
        do throws(DiagnosticError) {
            _ = try ReleaseLocator.locate(release, in: path)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "\(path): error: no archive for RVU25D here (looked for RVU25D.zip, rvu25d-updated-MM-DD-YYYY.zip and unpacked members); found RVU25C.zip"
            )
        }
    }

    /// A broken archive chosen by name is an error: no fallback to an older copy beside it.
    @Test func aBrokenArchiveIsAnErrorWithoutFallback() throws {
        let path = try folder(with: [])
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.copyItem(atPath: Golden.samples("releases/RVU25D.zip"), toPath: "\(path)/RVU25D.zip")
        try Data("<!DOCTYPE html><html><body>Sign in</body></html>".utf8).write(
            to: URL(fileURLWithPath: "\(path)/rvu25d-updated-09-15-2025.zip"))
        let release = try ReleaseID(parsing: "RVU25D")
        let input = try ReleaseLocator.locate(release, in: path)
        do throws(DiagnosticError) {
            _ = try Pipeline.importRelease(input, release: release)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "rvu25d-updated-09-15-2025.zip: error: this is an HTML page, not a zip archive: it starts with "
                    + "'<!DOCTYPE html><html><body>Sig'; the download got a web page (an error or sign-in page) "
                    + "instead of the release, download it again"
            )
        }
    }
}
