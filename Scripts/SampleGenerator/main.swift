import Foundation

// rvusamples: writes the synthetic sample releases (see Samples/README.md).
do {
    guard let generator = try SampleGenerator.parse(Array(CommandLine.arguments.dropFirst())) else {
        print(SampleGenerator.usage)
        exit(0)
    }
    for line in try generator.run() { print(line) }
} catch let failure as SampleGenerator.Failure {
    FileHandle.standardError.write(Data("rvusamples: error: \(failure.description)\n\n\(SampleGenerator.usage)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("rvusamples: error: \(error)\n".utf8))
    exit(1)
}
