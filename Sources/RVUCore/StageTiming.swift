import Foundation

/// Prints how long stages take to standard error when `RVU_TIMING` is set (for profiling; silent
/// otherwise): wall-clock time and the CPU time of the thread that ran the stage, which other
/// load on the machine disturbs less.
public enum StageTiming {
    /// True when `RVU_TIMING` is set.
    public static let enabled = ProcessInfo.processInfo.environment["RVU_TIMING"] != nil

    /// A point in time on both clocks.
    public struct Mark: Sendable {
        let wall = ContinuousClock.now
        let cpu = StageTiming.threadCPUSeconds()
    }

    /// Now, for a later ``report(_:since:)``.
    public static func mark() -> Mark { Mark() }

    /// Reports the time since `start` for a stage.
    public static func report(_ stage: String, since start: Mark) {
        guard enabled else { return }
        let wall = ContinuousClock.now - start.wall
        let milliseconds = Double(wall.components.seconds) * 1e3 + Double(wall.components.attoseconds) / 1e15
        let cpu = (threadCPUSeconds() - start.cpu) * 1e3
        let line = "time: \(stage): \(format(milliseconds)) ms wall, \(format(cpu)) ms thread CPU\(memory())\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Prints a remark about how a stage ran (a fallback taken, a fast path skipped).
    public static func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("time: \(text)\n".utf8))
    }

    private static func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }

    /// Resident memory now and at its peak (Linux), as `, 80 MB resident (peak 95 MB)`.
    private static func memory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        func megabytes(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 / 1024 }
        }
        guard let resident = megabytes("VmRSS:"), let peak = megabytes("VmHWM:") else { return "" }
        return ", \(resident) MB resident (peak \(peak) MB)"
    }

    /// The CPU time the calling thread has used.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
