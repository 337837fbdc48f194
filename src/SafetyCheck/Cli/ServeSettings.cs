namespace SafetyCheck.Cli;

/// <summary>What <c>serve</c>'s flags ask of the host.</summary>
/// <param name="ConfigurationArguments">ASP.NET configuration arguments (<c>--Key=value</c>), e.g. from <c>--audit-db</c>.</param>
/// <param name="RulesDirectory"><c>--rules</c>; null: configuration, else <c>rules</c>.</param>
/// <param name="Urls"><c>--urls</c>; null: ASP.NET configuration, else the default address.</param>
/// <param name="DevelopmentKeyDirectory">Where the development API key is kept when no credentials are configured.</param>
internal sealed record ServeSettings(string[] ConfigurationArguments, string? RulesDirectory, string? Urls, string DevelopmentKeyDirectory);
