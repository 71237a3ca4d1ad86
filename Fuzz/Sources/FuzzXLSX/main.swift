import FuzzSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One input is one .xlsx dataset member (its first byte picks the dataset): the zip reader, then
/// every XML part through libxml2's push parser (the only XML reader), then the dataset schema.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzSupport.parseMember(data, size, fileExtension: "xlsx")
    return 0
}

exit(runFuzzer(fuzzTestOneInput))
