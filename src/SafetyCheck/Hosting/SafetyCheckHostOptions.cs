namespace SafetyCheck.Hosting;

/// <summary>How <see cref="SafetyCheckHost"/> builds a host: set by <c>serve</c> from its flags, and by tests.</summary>
internal sealed class SafetyCheckHostOptions
{
    /// <summary>
    /// The rule directory; relative paths resolve against the current directory. Null: the configuration key
    /// <c>SafetyCheck:Rules</c>, else <c>rules</c>. Resolved to an absolute path by <see cref="SafetyCheckHost.CreateBuilder"/>.
    /// </summary>
    public string? RulesDirectory { get; set; }

    /// <summary>Listen addresses (<c>--urls</c>; <c>;</c>-separated). Null: ASP.NET configuration, else <see cref="SafetyCheckHost.DefaultUrl"/>.</summary>
    public string? Urls { get; init; }

    /// <summary>Load the rule set when the host starts. Default true; tests turn it off to observe the unloaded state.</summary>
    public bool LoadRulesOnStart { get; init; } = true;

    /// <summary>
    /// Where the development API key is kept (file <c>dev-key</c>) when no credentials are configured and every listen
    /// address is loopback; <c>serve</c> sets <c>.safetycheck</c> under the current directory. Null (tests, other
    /// hosts): no development key, so without configured credentials every call but health and reflection is refused.
    /// </summary>
    public string? DevelopmentKeyDirectory { get; init; }

    /// <summary>Stop the host when the rule set is invalid (<c>serve</c> then exits 1). Default false: keep answering NOT_SERVING.</summary>
    public bool StopWhenRulesInvalid { get; init; }

    /// <summary>Stop the host when the background verification finds the audit chain broken (<c>serve</c> then exits 1). Default false: keep answering NOT_SERVING.</summary>
    public bool StopWhenAuditChainBroken { get; init; }
}
