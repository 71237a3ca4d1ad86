import ArgumentParser

extension RVUImportCommand {
    /// `rvuimport curated ...`: the editors' commands.
    struct Curated: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Editors' commands for the curated content.", subcommands: [Check.self, Worklist.self, Scaffold.self])
    }
}
