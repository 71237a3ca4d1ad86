import FuzzSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One input is one zip archive, every member of which is inflated.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.readArchive(data, size)
    return 0
}

exit(runFuzzer(fuzzTestOneInput))
