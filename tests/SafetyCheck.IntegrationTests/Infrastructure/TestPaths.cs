namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Where the repository's rule set, seeds and this project's fixtures are.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shipped rule set.</summary>
    public static string Rules => Path.Combine(RepositoryRoot, "rules");

    /// <summary>The shipped example requests.</summary>
    public static string Seeds => Path.Combine(RepositoryRoot, "seeds");

    /// <summary>A fresh scratch copy of the shipped rules, for tests that break them.</summary>
    public static string CopyOfRules()
    {
        var target = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), "rules");
        foreach (var file in Directory.EnumerateFiles(Rules, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Rules, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    /// <summary>Adds <paramref name="condition"/> (one JSON object) as the first row of the catalog in <paramref name="rules"/>.</summary>
    public static async Task AddConditionAsync(string rules, string condition)
    {
        var catalog = Path.Combine(rules, "conditions.json");
        var text = await File.ReadAllTextAsync(catalog);
        var at = text.IndexOf("\"conditions\": [", StringComparison.Ordinal) + "\"conditions\": [".Length;
        await File.WriteAllTextAsync(catalog, text[..at] + "\n    " + condition + "," + text[at..]);
    }

    /// <summary>A directory that exists and holds no rule set.</summary>
    public static string EmptyDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), "rules");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyCheck.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SafetyCheck.sln not found above " + AppContext.BaseDirectory);
    }
}
