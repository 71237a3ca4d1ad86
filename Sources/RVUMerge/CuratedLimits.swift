/// The limits curated YAML stays within, so that a mistaken paste or a hostile file is refused
/// with a clear error instead of being published or exhausting memory.
///
/// The defaults are far above what editors write (the full synthetic corpus of RVU24B: fields
/// under 1 KB, 2-4 synonyms, files of about 250 KB). The table of limits is in `docs/hardening.md`.
public struct CuratedLimits: Sendable, Equatable {
    /// The longest text field (a title, a description, one synonym, a note), in bytes of UTF-8
    /// (default 16 KiB).
    public var maximumTextBytes = 16 << 10
    /// The most items in one list of an entry (`also_known_as`, `specialties`, `modifier_notes`)
    /// (default 1,000).
    public var maximumListItems = 1_000
    /// The largest curated file, in bytes (default 8 MiB); a larger one is not read.
    public var maximumFileBytes = 8 << 20

    /// The defaults.
    public init() {}
}
