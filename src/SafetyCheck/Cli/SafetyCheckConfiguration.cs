namespace SafetyCheck.Cli;

/// <summary>Configuration for the verbs that run without a web host, read as ASP.NET reads it.</summary>
internal static class SafetyCheckConfiguration
{
    /// <summary>appsettings.json next to the executable, then environment variables.</summary>
    public static IConfiguration Build() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}
