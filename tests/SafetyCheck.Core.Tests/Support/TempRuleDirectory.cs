namespace SafetyCheck.Core.Tests.Support;

/// <summary>A rule directory in a temporary folder, written from strings and deleted on dispose.</summary>
internal sealed class TempRuleDirectory : IDisposable
{
    public TempRuleDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "safetycheck-tests-" + System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The starter fixture: manifest, catalog and one rule file of <paramref name="rules"/> (JSON array items).</summary>
    public static TempRuleDirectory WithRules(string rules, string? parameters = null)
    {
        var dir = new TempRuleDirectory();
        dir.Write("ruleset.json", Fixtures.Manifest(parameters));
        dir.Write("conditions.json", Fixtures.Catalog);
        dir.Write("rules.json", Fixtures.Workflow("fixture", rules));
        return dir;
    }

    public void Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

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
