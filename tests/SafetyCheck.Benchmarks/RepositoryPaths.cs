namespace SafetyCheck.Benchmarks;

/// <summary>Finds the repository's <c>rules/</c> and <c>seeds/</c> from wherever BenchmarkDotNet runs the benchmark.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Rules => Path.Combine(Root, "rules");

    public static string Seeds => Path.Combine(Root, "seeds");

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SafetyCheck.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("SafetyCheck.sln not found above the current directory");
    }
}
