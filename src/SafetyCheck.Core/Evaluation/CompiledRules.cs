using System.Globalization;
using RulesEngine.Models;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// The RulesEngine instance of one rule revision: one workflow per rule file, built from the vetted definitions,
/// compiled and warmed once, never mutated afterwards (RulesEngine 6.0.1 races on <c>AddOrUpdateWorkflow</c> and leaks
/// with <c>WorkflowsToInject</c>, so neither is used). Rule errors are classified, never read as "did not fire".
/// </summary>
internal sealed class CompiledRules
{
    private readonly global::RulesEngine.RulesEngine _engine;
    private readonly string[] _workflowNames;
    private readonly RuleParameter[] _policyParameters;
    private readonly string[] _ruleOrder;

    private CompiledRules(global::RulesEngine.RulesEngine engine, string[] workflowNames, RuleParameter[] policyParameters, string[] ruleOrder)
    {
        _engine = engine;
        _workflowNames = workflowNames;
        _policyParameters = policyParameters;
        _ruleOrder = ruleOrder;
    }

    /// <summary>The settings every engine runs with; the vetter parses with the same language settings.</summary>
    public static ReSettings Settings() => new()
    {
        CustomTypes = ExpressionVocabulary.HelperTypes,
        AutoRegisterInputType = false,
        AutoExecuteActions = false,
        EnableFormattedErrorMessage = false,
        EnableExceptionAsErrorMessage = true,
        EnableExceptionAsErrorMessageForRuleExpressionParsing = true,
        IgnoreException = false,
        UseFastExpressionCompiler = false,
        IsExpressionCaseSensitive = true,
        EnableScopedParams = false,
    };

    /// <summary>
    /// Builds, compiles and warms the engine. A rule that fails to compile is a load error; a rule that throws on the
    /// synthetic warm-up child is not (the warm-up child is arbitrary).
    /// </summary>
    public static CompiledRules? Build(IReadOnlyList<LoadedRule> rules, IReadOnlyList<PolicyParameter> parameters, ICollection<Diagnostic> diagnostics)
    {
        var workflows = rules
            .GroupBy(r => r.WorkflowName, StringComparer.Ordinal)
            .Select(g => new Workflow
            {
                WorkflowName = g.Key,
                Rules = g.Select(r => new Rule
                {
                    RuleName = r.Definition.RuleId,
                    Expression = r.Definition.Expression,
                    RuleExpressionType = RuleExpressionType.LambdaExpression,
                }).ToList(),
            })
            .ToArray();
        var engine = new global::RulesEngine.RulesEngine(workflows, Settings());
        var policy = parameters
            .Select(p => p.IsInteger
                ? RuleParameter.Create(p.Name, (int)p.Value)
                : RuleParameter.Create(p.Name, p.Value))
            .ToArray();
        var compiled = new CompiledRules(engine, workflows.Select(w => w.WorkflowName).ToArray(), policy, rules.Select(r => r.Definition.RuleId).ToArray());

        // Warm: compile every workflow now, on a synthetic child, so that the first real request pays nothing and
        // a compile failure surfaces at load.
        var byId = rules.ToDictionary(r => r.Definition.RuleId, StringComparer.Ordinal);
        foreach (var outcome in compiled.Execute(WarmUpChild(), CancellationToken.None))
        {
            if (outcome.Error is { } error
                && (error.StartsWith("Exception while parsing", StringComparison.Ordinal) || error.StartsWith("Error while compiling", StringComparison.Ordinal)))
            {
                var rule = byId[outcome.RuleId];
                diagnostics.Add(rule.Source.At(rule.ExpressionToken, $"rule '{outcome.RuleId}': expression does not compile: {outcome.Error}"));
            }
        }

        return diagnostics.Count > 0 ? null : compiled;
    }

    /// <summary>Every rule's result for <paramref name="facts"/>, in rule-set order. Cancellation is checked between workflows.</summary>
    public IReadOnlyList<RuleOutcome> Execute(ChildFacts facts, CancellationToken cancellationToken) =>
        Execute(facts, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Every rule's result for <paramref name="facts"/>, in rule-set order. RulesEngine cannot interrupt a running
    /// expression, so the budget is checked between rule files: once it is spent, the rules not yet run are reported as
    /// errored (fail closed) instead of being evaluated. The allow-list bans loops, so this is a backstop.
    /// </summary>
    public IReadOnlyList<RuleOutcome> Execute(ChildFacts facts, TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var inputs = new RuleParameter[_policyParameters.Length + 1];
        inputs[0] = RuleParameter.Create(ExpressionVocabulary.ChildParameter, facts);
        _policyParameters.CopyTo(inputs, 1);

        var results = new Dictionary<string, RuleOutcome>(_ruleOrder.Length, StringComparer.Ordinal);
        foreach (var workflow in _workflowNames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (budget != Timeout.InfiniteTimeSpan && System.Diagnostics.Stopwatch.GetElapsedTime(started) > budget)
            {
                break;
            }

            var pending = _engine.ExecuteAllRulesAsync(workflow, inputs, cancellationToken);

            // With actions off, RulesEngine completes synchronously; waiting is only a fallback.
            var trees = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            foreach (var tree in trees)
            {
                results[tree.Rule.RuleName] = Classify(tree);
            }
        }

        return _ruleOrder
            .Select(id => results.TryGetValue(id, out var outcome) ? outcome : new RuleOutcome(id, false, NotRun(budget)))
            .ToArray();
    }

    private static string NotRun(TimeSpan budget) => budget == Timeout.InfiniteTimeSpan
        ? "the rule engine returned no result for this rule"
        : $"not evaluated: the evaluation exceeded its time budget of {budget.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms";

    private static RuleOutcome Classify(RuleResultTree tree)
    {
        // With formatted error messages off, ExceptionMessage holds only compile and run-time errors.
        if (!string.IsNullOrEmpty(tree.ExceptionMessage))
        {
            return new RuleOutcome(tree.Rule.RuleName, false, tree.ExceptionMessage);
        }

        if (tree.ActionResult?.Exception is { } exception)
        {
            return new RuleOutcome(tree.Rule.RuleName, false, exception.Message);
        }

        return new RuleOutcome(tree.Rule.RuleName, tree.IsSuccess, null);
    }

    private static ChildFacts WarmUpChild() => new(new ChildFactsData
    {
        AsOfDate = new DateOnly(2026, 1, 15),
        AgeDays = 40,
        AgeMonths = 1,
        AgeYears = 0,
        InfantAgeDays = 40,
        InfantAgeMonths = 1,
        GestationalAgeDays = 34 * 7,
        CorrectedAgeDays = 40 - 42,
        CorrectedAgeMonths = -1,
        PostmenstrualAgeDays = (34 * 7) + 40,
        BirthWeightGrams = 2100,
        TemperatureCelsius = 36.8,
        MinutesSinceLastFeed = 45,
        AgeBand = Domain.AgeBand.Infant,
        GestationCategory = Domain.GestationCategory.ModerateLatePreterm,
        BirthWeightCategory = Domain.BirthWeightCategory.LowBirthWeight,
        Setting = Domain.Setting.Nicu,
        PlannedPressure = Domain.Pressure.Light,
        MedicalRelease = true,
        PlannedAreas = [Domain.BodyArea.Back],
        Conditions = [],
    });

    /// <summary>For diagnostics: the number of compiled workflows.</summary>
    public override string ToString() => _workflowNames.Length.ToString(CultureInfo.InvariantCulture) + " workflows";
}
