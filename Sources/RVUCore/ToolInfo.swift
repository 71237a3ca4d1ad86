/// The tool's own identity, written to each catalog's `tool_version` (not part of its data).
public enum ToolInfo {
    public static let version = "0.1.0"
}
