using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSets;

/// <summary>
/// Holds the checker of the rule revision being served, or none: the decision pipeline's <see cref="IRuleRevisionSource"/>.
/// A load that fails keeps the revision already served (none at start), so a bad edit never replaces a good rule set; a
/// load that succeeds swaps the revision in one write, so each decision sees one revision or the other. Thread-safe.
/// </summary>
internal sealed class RuleSetProvider(TimeProvider clock, IOptions<SafetyCheckOptions> options, ILogger<RuleSetProvider> log) : IRuleRevisionSource
{
    private volatile SafetyChecker? _current;
    private volatile RuleSetLoadResult? _lastLoad;

    /// <summary>The checker of the served revision; null until a rule set has loaded and warmed.</summary>
    public SafetyChecker? Current => _current;

    /// <summary>The result of the latest load attempt; null before the first.</summary>
    public RuleSetLoadResult? LastLoad => _lastLoad;

    /// <summary>
    /// Loads <paramref name="directory"/> strictly, compiles and warms its engine, and serves it when clean.
    /// Problems come back as diagnostics, never as exceptions.
    /// </summary>
    public RuleSetLoadResult Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var started = clock.GetTimestamp();
        RulesLog.Loading(log, directory);

        var result = LoadAndWarm(directory, out var checker);
        return Conclude(directory, result, checker, started);
    }

    /// <summary>
    /// Loads as <see cref="Load"/> does, but before serving asks <paramref name="refusal"/> whether the loaded rule set
    /// must not serve after all (the audit trail recorded that a reload refused this very revision); its problems then
    /// make the load fail, and nothing serves.
    /// </summary>
    public async Task<RuleSetLoadResult> LoadAsync(
        string directory, Func<RuleSet, CancellationToken, Task<IReadOnlyList<Diagnostic>?>> refusal, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(refusal);
        var started = clock.GetTimestamp();
        RulesLog.Loading(log, directory);

        var result = LoadAndWarm(directory, out var checker);
        if (checker is not null && await refusal(checker.RuleSet, cancellationToken).ConfigureAwait(false) is { Count: > 0 } refused)
        {
            (result, checker) = (new RuleSetLoadResult(null, refused), null);
        }

        return Conclude(directory, result, checker, started);
    }

    /// <summary>Keeps <paramref name="result"/> as the latest load and serves <paramref name="checker"/> when there is one.</summary>
    private RuleSetLoadResult Conclude(string directory, RuleSetLoadResult result, SafetyChecker? checker, long started)
    {
        _lastLoad = result;
        if (checker is null)
        {
            RulesLog.LoadFailed(log, directory, result.Diagnostics.Count);
            return result;
        }

        _current = checker;
        var identity = checker.RuleSet.Identity;
        RulesLog.Loaded(log, identity.Name, identity.Version, identity.Revision, checker.RuleSet.Rules.Count,
            (long)clock.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    /// <summary>The checker <paramref name="ruleSet"/> is served with: the server clock and the configured evaluation budget.</summary>
    public SafetyChecker CreateChecker(RuleSet ruleSet)
    {
        var budget = options.Value.EvaluationBudgetMilliseconds;
        return new SafetyChecker(ruleSet, clock, budget > 0 ? TimeSpan.FromMilliseconds(budget) : null);
    }

    /// <summary>
    /// Serves <paramref name="checker"/> from now on: one write of the reference every decision reads once, so each
    /// decision is made, and labelled, by the revision before or the revision after, never a mixture. The caller
    /// (<see cref="RuleReloader"/>) has vetted it and archived its revision.
    /// </summary>
    public void Serve(SafetyChecker checker)
    {
        ArgumentNullException.ThrowIfNull(checker);
        _current = checker;
        _lastLoad = new RuleSetLoadResult(checker.RuleSet, []);
    }

    private RuleSetLoadResult LoadAndWarm(string directory, out SafetyChecker? checker)
    {
        checker = null;
        RuleSetLoadResult result;
        try
        {
            result = RuleSetLoader.Load(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new RuleSetLoadResult(null, [new Diagnostic(directory, 0, 0, $"cannot read the rule set: {ex.Message}")]);
        }

        if (!result.Succeeded)
        {
            return result;
        }

        try
        {
            checker = CreateChecker(result.RuleSet);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RulesLog.WarmUpFailed(log, ex, directory);
            return new RuleSetLoadResult(null, [new Diagnostic(directory, 0, 0, $"the rule set loaded but its engine could not be built: {ex.Message}")]);
        }
    }
}
