// swift-tools-version: 6.1
// Benchmarks live in their own package so that `swift build` and `swift test` of the main package
// do not build them. Run them with Scripts/bench.sh (or `swift package benchmark` here).
import PackageDescription

let package = Package(
    name: "RVUBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "rvuimport", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .executableTarget(
            name: "ImportBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RVUPipeline", package: "rvuimport"),
                .product(name: "RVUCatalog", package: "rvuimport"),
                .product(name: "RVUDiff", package: "rvuimport"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Benchmarks/ImportBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
