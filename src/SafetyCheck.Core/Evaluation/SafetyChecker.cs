using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Profiles;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Telemetry;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// Validates a request and evaluates one rule revision over it. One instance per rule revision (the revision's
/// engine was compiled and warmed at load and is never mutated). Thread-safe; deterministic for the same request,
/// revision and as_of, unless the evaluation budget runs out: the budget is wall-clock time, so whether it runs out
/// depends on the machine and its load, and when it does the rules not yet run count as errored and the verdict fails
/// closed to clinician review.
/// </summary>
public sealed class SafetyChecker
{
    private readonly RequestValidator _validator;
    private readonly FactsOptions _factsOptions;
    private readonly TimeSpan _budget;

    /// <summary>Creates the checker for <paramref name="ruleSet"/>; <paramref name="clock"/> supplies as_of when a request has none.</summary>
    /// <param name="ruleSet">The loaded revision.</param>
    /// <param name="clock">Server clock.</param>
    /// <param name="evaluationBudget">Time one evaluation may take before the rules not yet run count as errored; infinite when null.</param>
    public SafetyChecker(RuleSet ruleSet, TimeProvider clock, TimeSpan? evaluationBudget = null)
    {
        _budget = evaluationBudget ?? Timeout.InfiniteTimeSpan;
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(clock);
        RuleSet = ruleSet;
        _validator = new RequestValidator(clock);
        // The loader admits only whole numbers within FactsOptions' bounds for these parameters, so the casts are exact. An
        // archived revision (RuleSetLoader.LoadArchived) may hold other values: it is only evaluated over recorded facts
        // (Evaluate), which never reach these options, and Check refuses to derive facts with options out of bounds.
        var defaults = new FactsOptions();
        _factsOptions = new FactsOptions
        {
            CorrectedAgeCutoffMonths = WholeParameter(ruleSet, FactsOptions.CorrectedAgeCutoffParameter) ?? defaults.CorrectedAgeCutoffMonths,
            TermGestationWeeks = WholeParameter(ruleSet, FactsOptions.TermGestationParameter) ?? defaults.TermGestationWeeks,
        };
    }

    /// <summary>The revision this checker evaluates.</summary>
    public RuleSet RuleSet { get; }

    /// <summary>Validates and evaluates: field violations for a bad request, an assessment otherwise.</summary>
    /// <exception cref="OperationCanceledException">The call was cancelled between rules.</exception>
    public CheckOutcome Check(UnvalidatedRequest request, CancellationToken cancellationToken = default)
    {
        ValidationResult validation;
        using (var span = SafetyCheckTelemetry.ActivitySource.StartActivity(SafetyCheckTelemetry.ValidateSpan))
        {
            validation = _validator.Validate(request);
            if (!validation.IsValid)
            {
                span?.SetTag(SafetyCheckTelemetry.ViolationCountAttribute, validation.Violations.Count);
                return new CheckOutcome(null, validation.Violations);
            }
        }

        using var evaluateSpan = SafetyCheckTelemetry.ActivitySource.StartActivity(SafetyCheckTelemetry.EvaluateSpan);
        evaluateSpan?.SetTag(SafetyCheckTelemetry.RevisionAttribute, RuleSet.Identity.Revision);
        var profile = validation.Profile;
        var derivation = FactsDeriver.Derive(profile, RuleSet.Catalog, _factsOptions);
        var input = new EvaluationInput(
            profile.RequestId,
            profile.PatientRef,
            profile.Session.AsOf,
            profile.Session.TimeZoneId,
            derivation.Facts,
            Unrecognized(derivation.Unrecognized));
        return new CheckOutcome(Evaluate(input, cancellationToken), []);
    }

    /// <summary>
    /// Evaluates already-derived facts: the second half of <see cref="Check"/>, and how an audited decision is
    /// replayed on its archived revision.
    /// </summary>
    /// <exception cref="OperationCanceledException">The call was cancelled between rules.</exception>
    public Assessment Evaluate(EvaluationInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return OutcomeCombiner.Combine(RuleSet, input, RuleSet.Compiled.Execute(input.Facts, _budget, cancellationToken));
    }

    /// <summary>
    /// <see cref="Evaluate(EvaluationInput, CancellationToken)"/> by another path, for the tests that show the paths
    /// agree: every rule evaluated (no index), or RulesEngine's own execution of the workflows. No time budget.
    /// </summary>
    internal Assessment Evaluate(EvaluationInput input, EvaluationPath path)
    {
        ArgumentNullException.ThrowIfNull(input);
        var trace = path switch
        {
            EvaluationPath.Indexed => RuleSet.Compiled.Execute(input.Facts, CancellationToken.None),
            EvaluationPath.EveryRule => RuleSet.Compiled.Execute(input.Facts, Timeout.InfiniteTimeSpan, CancellationToken.None, useIndex: false),
            EvaluationPath.RulesEngine => RuleSet.Compiled.ExecuteWithRulesEngine(input.Facts, CancellationToken.None),
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, "not an evaluation path"),
        };
        return OutcomeCombiner.Combine(RuleSet, input, trace);
    }

    /// <summary>
    /// The value of a parameter C# reads as well as the expressions, truncated to a whole number; null when the rule set
    /// does not set it (or, in an archived revision, sets it beyond a 32-bit integer).
    /// </summary>
    private static int? WholeParameter(RuleSet ruleSet, string name) =>
        ruleSet.Parameters.FirstOrDefault(p => p.Name == name) is { Value: >= int.MinValue and <= int.MaxValue } parameter ? (int)parameter.Value : null;

    private CodeReference[] Unrecognized(IReadOnlyList<ProfileCondition> codes)
    {
        if (codes.Count == 0)
        {
            return [];
        }

        var references = new CodeReference[codes.Count];
        for (var i = 0; i < codes.Count; i++)
        {
            var c = codes[i];
            references[i] = new CodeReference(c.System, c.Code, c.Status, RuleSet.Catalog.WhyUnrecognized(c.System, c.Code));
        }

        return references;
    }
}
