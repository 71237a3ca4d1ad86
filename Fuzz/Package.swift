// swift-tools-version: 6.0
// libFuzzer harnesses for the readers; a separate package so that `swift build` and
// `swift test` of the main package never build them. Run them with Scripts/fuzz.sh.
import PackageDescription

let package = Package(
    name: "RVUFuzz",
    dependencies: [.package(name: "rvuimport", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzerDriver", .product(name: "RVUImport", package: "rvuimport")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzFixedWidth", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzXLSX", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzZip", dependencies: ["FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
