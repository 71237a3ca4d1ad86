import FuzzSupport

// One input is one .xlsx dataset member (its first byte picks the dataset).
#if canImport(Glibc)
    import Glibc
#endif

exit(runFuzzer { data, size in
    FuzzSupport.parseMember(data, size, fileExtension: "xlsx")
    return 0
})
