// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "rvuimport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rvuimport", targets: ["rvuimport"]),
        .library(name: "RVUPipeline", targets: ["RVUPipeline"]),
        .library(name: "RVUCatalog", targets: ["RVUCatalog"]),
        .library(name: "RVUDiff", targets: ["RVUDiff"]),
        .library(name: "RVUHistory", targets: ["RVUHistory"]),
        // For the fuzzing harnesses in Fuzz/ (a separate package).
        .library(name: "RVUImport", targets: ["RVUImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CLibZ", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Stages, one module each; data flows one way.
        .target(name: "RVUCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Zip archives and XLSX workbooks (XML read by libxml2), used by the importer and the fetcher.
        .target(
            name: "RVUContainers",
            dependencies: ["RVUCore", "CLibXML2", "CLibZ"]),
        .target(
            name: "RVUImport",
            dependencies: ["RVUCore", "RVUContainers"]),
        .target(
            name: "RVUMerge",
            dependencies: ["RVUCore", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "RVUCatalog",
            dependencies: [
                "RVUCore", "RVUMerge", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // Compares two catalogs: the engine, the report formats and the CI gate.
        .target(
            name: "RVUDiff",
            dependencies: ["RVUCore", "RVUCatalog", .product(name: "GRDB", package: "GRDB.swift")]),
        // The effective-dated history across catalogs of successive releases, and lookups by date.
        .target(
            name: "RVUHistory",
            dependencies: [
                "RVUCore", "RVUCatalog", "RVUImport", "RVUContainers", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // Finds, downloads and caches releases from CMS (HTML pages, licence step, zips).
        .target(
            name: "RVUFetch",
            dependencies: ["RVUCore", "RVUContainers", "CLibXML2"]),
        .target(
            name: "RVUPipeline",
            dependencies: [
                "RVUCore", "RVUImport", "RVUMerge", "RVUCatalog", "RVUFetch", .product(name: "Yams", package: "Yams"),
            ]),
        // What people read: code pages, the inspect report, the run summary.
        .target(name: "RVUReports", dependencies: ["RVUCore", "RVUImport", "RVUMerge", "RVUCatalog", "RVUDiff", "RVUHistory"]),
        .executableTarget(
            name: "rvuimport",
            dependencies: [
                "RVUCore", "RVUImport", "RVUMerge", "RVUCatalog", "RVUDiff", "RVUPipeline", "RVUReports", "RVUFetch", "RVUHistory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Builds the sample releases in Samples/ (see Samples/README.md).
        .executableTarget(
            name: "rvusamples",
            dependencies: [
                "RVUCore", "RVUImport", "RVUMerge", "RVUPipeline",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Scripts/SampleGenerator"),

        .target(name: "RVUTestSupport", path: "Tests/RVUTestSupport"),
        .testTarget(name: "RVUCoreTests", dependencies: ["RVUCore"]),
        .testTarget(
            name: "RVUImportTests",
            dependencies: [
                "RVUImport", "RVUContainers", "RVUCore", "RVUMerge", "RVUPipeline", "RVUReports", "RVUCatalog", "RVUTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(name: "RVUMergeTests", dependencies: ["RVUMerge", "RVUCore"]),
        .testTarget(
            name: "RVUFetchTests",
            dependencies: [
                "RVUFetch", "RVUCore", "RVUContainers", "RVUTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(
            name: "RVUCatalogTests",
            dependencies: [
                "RVUCatalog", "RVUMerge", "RVUCore", "RVUPipeline", "RVUReports", "RVUImport", "RVUTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(
            name: "RVUDiffTests",
            dependencies: [
                "RVUDiff", "RVUCatalog", "RVUCore", "RVUPipeline", "RVUTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(
            name: "RVUHistoryTests",
            dependencies: [
                "RVUHistory", "RVUCatalog", "RVUCore", "RVUPipeline", "RVUTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
