namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Where the repository's rule set, seeds and this project's fixtures are.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shipped rule set; this project's synthetic fixture until one is shipped.</summary>
    public static string Rules { get; } = ShippedOrFixture("rules", "ruleset.json");

    /// <summary>The shipped example requests; this project's synthetic fixture until they are shipped.</summary>
    public static string Seeds { get; } = ShippedOrFixture("seeds", "*.json");

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

    /// <summary>A directory that exists and holds no rule set.</summary>
    public static string EmptyDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), "rules");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string ShippedOrFixture(string name, string marker)
    {
        var shipped = Path.Combine(RepositoryRoot, name);
        return Directory.Exists(shipped) && Directory.EnumerateFiles(shipped, marker).Any()
            ? shipped
            : Path.Combine(RepositoryRoot, "tests", "SafetyCheck.IntegrationTests", "Fixtures", name);
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
