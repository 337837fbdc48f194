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

    /// <summary>A new folder holding a copy of every file here (the database, its keys) but the lock file.</summary>
    public TempAuditFolder Copy()
    {
        var copy = new TempAuditFolder();
        foreach (var file in Directory.GetFiles(Path).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            System.IO.File.Copy(file, System.IO.Path.Combine(copy.Path, System.IO.Path.GetFileName(file)));
        }

        return copy;
    }

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
