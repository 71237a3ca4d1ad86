import RVUContainers
import RVUCore

extension ImportScope {
    /// The scope of the import that runs on this thread, if one was bound: ``ReleaseImporter``
    /// binds it while a member is parsed, and the dataset readers find their record, field and
    /// row limits in it.
    @TaskLocal package static var current: ImportScope?

    /// The bound scope, or a fresh one with the default limits for a reader used on its own.
    package static func currentOrDefault(name: String) -> ImportScope {
        current ?? ImportScope(limits: ImportLimits(), sourceName: name)
    }
}
