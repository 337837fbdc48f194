namespace SafetyCheck.RuleSets;

/// <summary>
/// Loads the configured rule set once the host starts, in the background so that health answers NOT_SERVING
/// meanwhile. When <see cref="RuleSetLoadingOptions.StopWhenInvalid"/> is set, an invalid rule set stops the
/// host (<c>serve</c> then exits 1 with the diagnostics).
/// </summary>
internal sealed class RuleSetLoadingService(
    RuleSetProvider provider,
    RuleSetLoadingOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<RuleSetLoadingService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.LoadOnStart)
        {
            return Task.CompletedTask;
        }

        var result = provider.Load(options.Directory);
        if (result.Succeeded)
        {
            return Task.CompletedTask;
        }

        if (options.StopWhenInvalid)
        {
            // serve prints the diagnostics itself, one plain file:line:col line each, once the host has stopped.
            RulesLog.Stopping(log);
            lifetime.StopApplication();
            return Task.CompletedTask;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            RulesLog.Diagnostic(log, diagnostic.ToString());
        }

        return Task.CompletedTask;
    }
}
