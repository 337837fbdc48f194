using System.Diagnostics;
using System.Globalization;
using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Expressions;
using System.Numerics;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Profiles;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// The rules of one revision, compiled once and never mutated. RulesEngine stays the engine: the rule files become
/// its <c>Workflow</c>s exactly as before (it validates them), and each expression is parsed by its own
/// <see cref="RuleExpressionParser"/> with the same settings, vetted against the allow-list, and compiled to a
/// delegate over <see cref="ChildFacts"/> with the policy parameters as constants. A decision evaluates those
/// delegates directly, and only the rules its conditions can make true (<see cref="RuleIndex"/>). RulesEngine's own
/// execution (<see cref="ExecuteWithRulesEngine"/>) is kept as the reference the fast path is tested against.
/// Rule errors are classified, never read as "did not fire".
/// </summary>
internal sealed class CompiledRules
{
    /// <summary>Bit sets up to this many words (4,096 rules) live on the stack.</summary>
    private const int MaxStackWords = 64;

    /// <summary>
    /// The budget is checked before every this many rules (a power of two). Reading the clock costs about as much as
    /// a rule; rules cannot loop, so this many take microseconds, far inside any budget.
    /// </summary>
    private const int BudgetCheckInterval = 8;

    private readonly CompiledRule[] _rules;
    private readonly global::RulesEngine.RulesEngine _engine;
    private readonly string[] _workflowNames;
    private readonly RuleParameter[] _policyParameters;

    private CompiledRules(CompiledRule[] rules, global::RulesEngine.RulesEngine engine, string[] workflowNames, RuleParameter[] policyParameters)
    {
        _rules = rules;
        _engine = engine;
        _workflowNames = workflowNames;
        _policyParameters = policyParameters;
        Index = new RuleIndex(rules);
    }

    /// <summary>Number of rules.</summary>
    public int Count => _rules.Length;

    /// <summary>Which rules a request needs evaluated.</summary>
    public RuleIndex Index { get; }

    /// <summary>The rule at <paramref name="index"/> in rule order.</summary>
    public CompiledRule this[int index] => _rules[index];

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
    /// Builds the workflows, then parses, vets and compiles every expression and warms the delegates. An expression
    /// that does not parse, or whose parsed tree leaves the vocabulary, is a load error; a rule that throws on the
    /// synthetic warm-up child is not (the warm-up child is arbitrary).
    /// </summary>
    public static CompiledRules? Build(
        IReadOnlyList<LoadedRule> rules, IReadOnlyList<PolicyParameter> parameters, ConditionCatalog catalog, ICollection<Diagnostic> diagnostics)
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
        var settings = Settings();
        var engine = new global::RulesEngine.RulesEngine(workflows, settings);
        var policy = parameters
            .Select(p => p.IsInteger
                ? RuleParameter.Create(p.Name, (int)p.Value)
                : RuleParameter.Create(p.Name, p.Value))
            .ToArray();

        var vetter = new ExpressionVetter(parameters, catalog);
        var parser = new RuleExpressionParser(settings);
        var constants = new PolicyConstants(vetter.Parameters, policy);
        var child = vetter.Parameters[0];
        var compiled = new CompiledRule[rules.Count];
        var before = diagnostics.Count;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var id = rule.Definition.RuleId;
            // The loader has vetted every expression by now; the bounds are checked again because parsing an
            // expression outside them could overflow the stack, which ends the process.
            var outOfBounds = ExpressionBounds.Check(rule.Definition.Expression);
            if (outOfBounds.Count > 0)
            {
                diagnostics.Add(rule.Source.At(rule.ExpressionToken, $"rule '{id}': {outOfBounds[0]}"));
                continue;
            }

            Expression body;
            try
            {
                body = parser.Parse(rule.Definition.Expression, [.. vetter.Parameters], typeof(bool));
            }
            catch (Exception ex) when (ex is ParseException or InvalidOperationException or ArgumentException or NotSupportedException or InvalidCastException)
            {
                diagnostics.Add(rule.Source.At(rule.ExpressionToken, $"rule '{id}': expression does not compile: {ex.Message}"));
                continue;
            }

            if (body.Type != typeof(bool))
            {
                diagnostics.Add(rule.Source.At(rule.ExpressionToken, $"rule '{id}': expression does not compile: it is a {body.Type.Name}, not a bool"));
                continue;
            }

            // The tree that is compiled is the tree that is vetted.
            foreach (var problem in vetter.Walk(body))
            {
                diagnostics.Add(rule.Source.At(rule.ExpressionToken, $"rule '{id}': {problem}"));
            }

            var predicate = Expression.Lambda<Func<ChildFacts, bool>>(constants.Visit(body), child).Compile();
            compiled[i] = new CompiledRule(i, rule.Definition, predicate, ConditionRequirement.Of(body, child));
        }

        if (diagnostics.Count > before)
        {
            return null;
        }

        var result = new CompiledRules(compiled, engine, [.. workflows.Select(w => w.WorkflowName)], policy);
        result.WarmUp(catalog);
        return result;
    }

    /// <summary>Every rule's result for <paramref name="facts"/>, with no time budget (see the other overload).</summary>
    public RuleTrace Execute(ChildFacts facts, CancellationToken cancellationToken) =>
        Execute(facts, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Every rule's result for <paramref name="facts"/>: the rules the index selects are evaluated in rule order, the
    /// others are not fired. A delegate cannot be interrupted, so cancellation is checked between rules and the budget
    /// before every eighth rule: once the budget is spent, the selected rules not yet run are reported as errored
    /// (fail closed). The allow-list bans loops, so this is a backstop. The budget is wall-clock time (a stopwatch):
    /// whether it is spent depends on the machine and its load, the one way the same facts can give another trace.
    /// </summary>
    /// <param name="facts">The child.</param>
    /// <param name="budget">Time the evaluation may take; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Checked before each rule.</param>
    /// <param name="useIndex">False evaluates every rule (the equivalence tests compare both).</param>
    /// <exception cref="OperationCanceledException">The call was cancelled between rules.</exception>
    public RuleTrace Execute(ChildFacts facts, TimeSpan budget, CancellationToken cancellationToken, bool useIndex = true)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var words = Index.Words;
        Span<ulong> pending = words <= MaxStackWords ? stackalloc ulong[words] : new ulong[words];
        if (useIndex)
        {
            Index.Candidates(facts, pending);
        }
        else
        {
            Index.All.CopyTo(pending);
        }

        var fired = new ulong[words];
        var errors = default(ErrorList);
        var timed = budget != Timeout.InfiniteTimeSpan;
        var started = timed ? Stopwatch.GetTimestamp() : 0;
        var evaluated = 0;
        for (var w = 0; w < words; w++)
        {
            while (pending[w] != 0)
            {
                var index = (w << 6) | BitOperations.TrailingZeroCount(pending[w]);
                cancellationToken.ThrowIfCancellationRequested();
                if (timed && (evaluated++ & (BudgetCheckInterval - 1)) == 0 && Stopwatch.GetElapsedTime(started) > budget)
                {
                    NotRun(pending, budget, ref errors);
                    return errors.ToTrace(this, fired);
                }

                pending[w] &= pending[w] - 1;
                var rule = _rules[index];
                try
                {
                    if (rule.Predicate(facts))
                    {
                        fired[w] |= 1UL << index;
                    }
                }
                catch (Exception ex)
                {
                    // RulesEngine's own wording for an exception inside a rule, so a message reads the same either way.
                    errors.Add(index, new RuleOutcome(rule.RuleId, false, $"Error while executing rule : {rule.RuleId} - {ex.Message}"));
                }
            }
        }

        return errors.ToTrace(this, fired);
    }

    /// <summary>
    /// Every rule's result for <paramref name="facts"/> from RulesEngine's own <c>ExecuteAllRulesAsync</c> over the
    /// workflows, in rule order: the reference the compiled path must agree with. Compiles the workflows on first use.
    /// </summary>
    public RuleTrace ExecuteWithRulesEngine(ChildFacts facts, CancellationToken cancellationToken)
    {
        var inputs = new RuleParameter[_policyParameters.Length + 1];
        inputs[0] = RuleParameter.Create(ExpressionVocabulary.ChildParameter, facts);
        _policyParameters.CopyTo(inputs, 1);

        var byId = _rules.ToDictionary(r => r.RuleId, StringComparer.Ordinal);
        var outcomes = new RuleOutcome?[_rules.Length];
        foreach (var workflow in _workflowNames)
        {
            var pending = _engine.ExecuteAllRulesAsync(workflow, inputs, cancellationToken);

            // With actions off, RulesEngine completes synchronously; waiting is only a fallback.
            var trees = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            foreach (var tree in trees)
            {
                // With formatted error messages off, ExceptionMessage holds only compile and run-time errors.
                var error = !string.IsNullOrEmpty(tree.ExceptionMessage) ? tree.ExceptionMessage : tree.ActionResult?.Exception?.Message;
                outcomes[byId[tree.Rule.RuleName].Index] = new RuleOutcome(tree.Rule.RuleName, error is null && tree.IsSuccess, error);
            }
        }

        var fired = new ulong[Index.Words];
        var errors = default(ErrorList);
        for (var index = 0; index < outcomes.Length; index++)
        {
            var outcome = outcomes[index] ?? new RuleOutcome(_rules[index].RuleId, false, "the rule engine returned no result for this rule");
            if (outcome.Errored)
            {
                errors.Add(index, outcome);
            }
            else if (outcome.Fired)
            {
                fired[index >> 6] |= 1UL << index;
            }
        }

        return errors.ToTrace(this, fired);
    }

    /// <summary>For diagnostics: the number of rules and how many are evaluated for every request.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{_rules.Length} rules, {Index.AlwaysEvaluated} read facts alone");

    /// <summary>Reports every rule still pending as errored: the budget ran out before it was evaluated.</summary>
    private void NotRun(Span<ulong> pending, TimeSpan budget, ref ErrorList errors)
    {
        var message = $"not evaluated: the evaluation exceeded its time budget of {budget.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms";
        for (var w = 0; w < pending.Length; w++)
        {
            for (var bits = pending[w]; bits != 0; bits &= bits - 1)
            {
                var index = (w << 6) | BitOperations.TrailingZeroCount(bits);
                errors.Add(index, new RuleOutcome(_rules[index].RuleId, false, message));
            }
        }
    }

    /// <summary>Runs every delegate once on a synthetic child, so that the first request does not pay for the JIT.</summary>
    private void WarmUp(ConditionCatalog catalog)
    {
        var profile = new ChildProfile
        {
            RequestId = "",
            PatientRef = "",
            BirthDate = new DateOnly(2025, 12, 6),
            GestationalAgeAtBirth = new GestationalAge(34, 0),
            BirthWeightGrams = 2100,
            Conditions = [],
            Session = new PlannedSession(new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero), "UTC", Domain.Setting.Nicu, Domain.Pressure.Light, true, [Domain.BodyArea.Back]),
            TemperatureCelsius = 36.8,
            MinutesSinceLastFeed = 45,
        };
        Execute(FactsDeriver.Derive(profile, catalog, new FactsOptions()).Facts, Timeout.InfiniteTimeSpan, CancellationToken.None, useIndex: false);
    }

    /// <summary>The errored rules of one evaluation, in rule order; allocates only when a rule errors.</summary>
    private struct ErrorList
    {
        private List<int>? _indexes;
        private List<RuleOutcome>? _outcomes;

        public void Add(int index, RuleOutcome outcome)
        {
            (_indexes ??= []).Add(index);
            (_outcomes ??= []).Add(outcome);
        }

        public readonly RuleTrace ToTrace(CompiledRules rules, ulong[] fired) =>
            _indexes is null || _outcomes is null
                ? new RuleTrace(rules, fired, [], [])
                : new RuleTrace(rules, fired, [.. _indexes], [.. _outcomes]);
    }

    /// <summary>Replaces the policy parameters by their values: they are constants of the revision.</summary>
    private sealed class PolicyConstants(IReadOnlyList<ParameterExpression> parameters, RuleParameter[] values) : ExpressionVisitor
    {
        private readonly Dictionary<ParameterExpression, ConstantExpression> _constants = parameters
            .Skip(1)
            .Zip(values, (p, v) => (p, Expression.Constant(v.Value, p.Type)))
            .ToDictionary(x => x.p, x => x.Item2);

        protected override Expression VisitParameter(ParameterExpression node) =>
            _constants.TryGetValue(node, out var constant) ? constant : node;
    }
}
