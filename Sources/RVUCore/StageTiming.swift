import Foundation

/// Prints how long stages take to standard error when `RVU_TIMING` is set (for profiling; silent
/// otherwise).
public enum StageTiming {
    /// True when `RVU_TIMING` is set.
    public static let enabled = ProcessInfo.processInfo.environment["RVU_TIMING"] != nil

    /// Reports the time since `start` for a stage.
    public static func report(_ stage: String, since start: ContinuousClock.Instant) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("time: \(stage): \(ContinuousClock.now - start)\n".utf8))
    }
}
