namespace SafetyCheck.Cli;

/// <summary>
/// Configuration for the verbs that run without a web host, read from the same sources in the same order as
/// <c>serve</c>'s host reads them (ASP.NET's defaults), so that every verb sees what the service sees: appsettings.json
/// next to the executable, then appsettings.{Environment}.json, then environment variables (<c>SafetyCheck__Audit__DatabasePath</c>),
/// then configuration arguments (<c>--SafetyCheck:Key=value</c>, which the verbs' own flags carry). The environment is
/// ASPNETCORE_ENVIRONMENT, else DOTNET_ENVIRONMENT, else Production, as for the host.
/// </summary>
internal static class SafetyCheckConfiguration
{
    /// <summary>The environment name the host would run in.</summary>
    public static string EnvironmentName =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } aspnet ? aspnet
        : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet
        : "Production";

    /// <summary>The verbs' configuration; <paramref name="arguments"/> are configuration arguments (<c>--Key=value</c>), last and strongest.</summary>
    public static IConfiguration Build(params string[] arguments) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddJsonFile($"appsettings.{EnvironmentName}.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(arguments)
        .Build();
}
