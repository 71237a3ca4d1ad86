import FuzzSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One input is one .csv dataset member (its first byte picks the dataset).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.parseMember(data, size, fileExtension: "csv")
    return 0
}

exit(runFuzzer(fuzzTestOneInput))
