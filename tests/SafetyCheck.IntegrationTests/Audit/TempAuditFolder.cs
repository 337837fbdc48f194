namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>A temporary folder for one test's audit database (and its key, lock and checkpoint files), deleted on dispose.</summary>
public sealed class TempAuditFolder : IDisposable
{
    public TempAuditFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "safetycheck-tests", "audit-" + System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, "audit.db");

    /// <summary>The host argument that points a test host at <see cref="DatabasePath"/>.</summary>
    public string HostArgument => $"--SafetyCheck:Audit:DatabasePath={DatabasePath}";

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
