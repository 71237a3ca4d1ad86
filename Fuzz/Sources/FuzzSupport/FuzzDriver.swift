import CFuzzerDriver

/// Runs libFuzzer with this process's command line, calling `body` on each input; returns the
/// exit status. SwiftPM renames an executable's `main` (to link it into tests), so the harnesses
/// have a `main.swift` that calls this instead of relying on libFuzzer's own `main`.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, body)
}
