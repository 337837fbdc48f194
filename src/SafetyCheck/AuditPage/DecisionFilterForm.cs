namespace SafetyCheck.AuditPage;

/// <summary>
/// The decision list's filters as the auditor typed them (query string of <c>/audit/decisions</c>), with a message per
/// field that is not acceptable. Dates are UTC calendar days, both inclusive.
/// </summary>
public sealed record DecisionFilterForm
{
    public string From { get; init; } = "";

    public string To { get; init; } = "";

    public string Verdict { get; init; } = "";

    public string Rule { get; init; } = "";

    public string Revision { get; init; } = "";

    public string Caller { get; init; } = "";

    /// <summary>Problems by field name (<c>from</c>, <c>to</c>, <c>verdict</c>, <c>rule</c>, <c>revision</c>, <c>caller</c>, <c>page</c>).</summary>
    public IReadOnlyDictionary<string, string> Problems { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>True when any filter is set.</summary>
    public bool Any => string.Concat(From, To, Verdict, Rule, Revision, Caller).Length > 0;

    /// <summary>The problem of <paramref name="field"/>, or null.</summary>
    public string? ProblemOf(string field) => Problems.TryGetValue(field, out var problem) ? problem : null;

    /// <summary>The query string of these filters (without a page token), starting with <c>?</c>, or empty.</summary>
    public string Query()
    {
        var pairs = new[] { ("from", From), ("to", To), ("verdict", Verdict), ("rule", Rule), ("revision", Revision), ("caller", Caller) }
            .Where(p => p.Item2.Length > 0)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}")
            .ToArray();
        return pairs.Length == 0 ? "" : "?" + string.Join('&', pairs);
    }
}
