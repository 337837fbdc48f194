namespace SafetyCheck.Audit.Tests.Support;

/// <summary>A temporary folder for one test's database, deleted on dispose.</summary>
internal sealed class TempAuditDirectory : IDisposable
{
    public TempAuditDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "safetycheck-audit-" + System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, "audit.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
