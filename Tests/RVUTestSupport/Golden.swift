import Foundation
import Testing

/// Compares text with a golden file under `Samples/golden/`, printing a readable diff on
/// mismatch. With `RVU_RECORD_GOLDENS=1` the golden file is rewritten and the test fails, so that
/// re-recording is never silent.
public enum Golden {
    /// The repository's root folder.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A path under `Samples/`.
    public static func samples(_ relative: String) -> String { repositoryRoot.appendingPathComponent("Samples/\(relative)").path }

    /// Checks `actual` against `Samples/golden/NAME`.
    public static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = repositoryRoot.appendingPathComponent("Samples/golden/\(name)")
        if ProcessInfo.processInfo.environment["RVU_RECORD_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            Issue.record(
                "re-recorded Samples/golden/\(name); run the tests again without RVU_RECORD_GOLDENS", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file Samples/golden/\(name); record it with RVU_RECORD_GOLDENS=1", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        Issue.record("Samples/golden/\(name) differs:\n\(diff(expected, actual))", sourceLocation: sourceLocation)
    }

    /// The differing lines, as `-expected` / `+actual` with line numbers (at most 40).
    static func diff(_ expected: String, _ actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(old.count, new.count) where lines.count < 40 {
            let left = index < old.count ? String(old[index]) : nil
            let right = index < new.count ? String(new[index]) : nil
            guard left != right else { continue }
            if let left { lines.append("\(index + 1) -\(left)") }
            if let right { lines.append("\(index + 1) +\(right)") }
        }
        return lines.joined(separator: "\n")
    }
}
