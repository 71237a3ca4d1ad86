import FuzzSupport

// One input is one zip archive, every member of which is inflated.
#if canImport(Glibc)
    import Glibc
#endif

exit(runFuzzer { data, size in
    FuzzSupport.readArchive(data, size)
    return 0
})
