import Foundation
import RVUCore
import RVUImport
import RVUMerge
import Yams

/// Defaults for the import command, read from `rvuimport.yaml` in the working directory (the
/// repository root commits one that points at the Samples). Command-line options win.
///
/// ```yaml
/// source: Samples/releases          # archives, one archive, or unpacked members
/// curated: Samples/curated          # editors' YAML
/// output: catalogs/{release}.sqlite # {release} becomes the release id, e.g. RVU26A
/// strict: false
/// verify: txt                      # csv, txt (default) or all: the formats cross-checked
/// cache: ~/.cache/rvuimport         # downloaded archives (default: $XDG_CACHE_HOME/rvuimport)
/// accept_ama_license: false         # true: accept CMS's AMA licence click-through when downloading
/// descriptors: withheld             # licensed: keep CMS's CPT and CDT descriptors (needs the AMA's and ADA's licences)
/// max-member-mib: 64               # any of the limits (see ImportLimitSetting)
/// ```
public struct Configuration: Sendable, Equatable {
    public var source: String = "."
    public var curated: String?
    public var output: String = "catalogs/{release}.sqlite"
    public var strict = false
    /// Which formats are parsed and cross-checked besides the authoritative CSV.
    public var verify = Verification.txt
    /// The cache folder for downloaded archives (nil: the user's cache folder).
    public var cache: String?
    /// The user opted in to CMS's AMA licence click-through.
    public var acceptAMALicense = false
    /// Whether CMS's CPT and dental descriptors are kept in the catalog.
    public var descriptors = DescriptorPolicy.withheld
    /// The import limits, with the file's `max-...` settings applied.
    public var limits = ImportLimits()

    public init() {}

    /// The file name looked for in the working directory.
    public static let fileName = "rvuimport.yaml"

    /// The configuration in `path`, or the defaults when there is no such file and it is not
    /// `required` (a file named with --config is). Relative paths in the file (source, curated,
    /// output, cache) are relative to the file's folder.
    public static func load(from path: String = fileName, required: Bool = false) throws(DiagnosticError) -> Configuration {
        var configuration = Configuration()
        guard FileManager.default.fileExists(atPath: path) else {
            guard !required else {
                throw DiagnosticError(
                    .configNotFound, "no such configuration file; check the --config path", at: SourceLocation(file: path))
            }
            return configuration
        }
        let folder = (path as NSString).deletingLastPathComponent
        func resolved(_ text: String) -> String {
            text.hasPrefix("/") || text.hasPrefix("~/") || folder.isEmpty ? text : (folder as NSString).appendingPathComponent(text)
        }
        let text = String(decoding: try Pipeline.readFile(path), as: UTF8.self)
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw DiagnosticError(.config, "not valid YAML: \(error)", at: SourceLocation(file: path))
        }
        guard let node else { return configuration }
        guard case .mapping(let mapping) = node else {
            throw DiagnosticError(.config, "expected a mapping of settings", at: SourceLocation(file: path, line: node.mark?.line))
        }
        for (key, value) in mapping {
            let location = SourceLocation(file: path, line: key.mark?.line, column: key.mark?.column)
            guard let text = value.string else {
                throw DiagnosticError(.config, "'\(key.string ?? "?")' must be a single value", at: location)
            }
            switch key.string {
            case "source": configuration.source = resolved(text)
            case "curated": configuration.curated = resolved(text)
            case "output": configuration.output = resolved(text)
            case "strict":
                guard let flag = value.bool else { throw DiagnosticError(.config, "'strict' must be true or false", at: location) }
                configuration.strict = flag
            case "verify":
                guard let mode = Verification(rawValue: text) else {
                    throw DiagnosticError(
                        .config, "'verify' must be one of \(Verification.allCases.map(\.rawValue).joined(separator: ", "))", at: location)
                }
                configuration.verify = mode
            case "cache":
                configuration.cache = text.hasPrefix("~/") ? NSHomeDirectory() + text.dropFirst() : resolved(text)
            case "accept_ama_license":
                guard let flag = value.bool else {
                    throw DiagnosticError(.config, "'accept_ama_license' must be true or false", at: location)
                }
                configuration.acceptAMALicense = flag
            case "descriptors":
                guard let policy = DescriptorPolicy(rawValue: text) else {
                    throw DiagnosticError(
                        .config,
                        "'descriptors' must be \(DescriptorPolicy.allCases.map(\.rawValue).joined(separator: " or ")) (licensed only under the AMA's and ADA's licences)",
                        at: location)
                }
                configuration.descriptors = policy
            case let name? where ImportLimitSetting(rawValue: name) != nil:
                guard let setting = ImportLimitSetting(rawValue: name), let number = value.int,
                    setting.apply(number, to: &configuration.limits)
                else {
                    throw DiagnosticError(
                        .config, "'\(name)' must be a whole number from 1 to \(ImportLimitSetting.maximumValue)", at: location)
                }
            default:
                let known =
                    ["source", "curated", "output", "strict", "verify", "cache", "accept_ama_license", "descriptors"]
                    + ImportLimitSetting.allCases.map(\.rawValue)
                throw DiagnosticError(
                    .config, "unknown setting '\(key.string ?? "?")' (known: \(known.joined(separator: ", ")))", at: location)
            }
        }
        return configuration
    }

    /// The output path for a release.
    public func outputPath(for release: ReleaseID) -> String {
        output.replacingOccurrences(of: "{release}", with: release.shortName)
    }
}
