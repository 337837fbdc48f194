using SafetyCheck.Limits;

namespace SafetyCheck.Telemetry;

/// <summary>Checks <see cref="TelemetryOptions"/> at start and reports every bad setting at once.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    private const int MaxWindow = 100_000;

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var url in SideListenerAddresses.Split(options.MetricsUrls))
        {
            if (SideListenerAddresses.Problem(url) is { } problem)
            {
                failures.Add($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.MetricsUrls)}: '{url}' {problem}.");
            }
        }

        var silent = options.SilentRules;
        var prefix = $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.SilentRules)}";
        if (silent.Window is < 1 or > MaxWindow)
        {
            failures.Add($"{prefix}:{nameof(SilentRuleOptions.Window)} must be 1 to {MaxWindow} (got {silent.Window}).");
        }

        if (silent.NewRevisionWindow is < 1 or > MaxWindow)
        {
            failures.Add($"{prefix}:{nameof(SilentRuleOptions.NewRevisionWindow)} must be 1 to {MaxWindow} (got {silent.NewRevisionWindow}).");
        }

        if (silent.MinFirings < 1 || silent.MinFirings > silent.Window)
        {
            failures.Add($"{prefix}:{nameof(SilentRuleOptions.MinFirings)} must be 1 to {nameof(SilentRuleOptions.Window)} ({silent.Window}) (got {silent.MinFirings}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
