using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// One rule of a revision, ready to run: its definition, its expression compiled once to a delegate, the condition
/// ids it needs (for the index) and what combining needs of it that does not depend on the request, made once at load.
/// Immutable; shared by every decision on the revision.
/// </summary>
internal sealed class CompiledRule
{
    public CompiledRule(int index, RuleDefinition definition, Func<ChildFacts, bool> predicate, IReadOnlyList<string>? requiredConditions)
    {
        Index = index;
        Definition = definition;
        Predicate = predicate;
        RequiredConditions = requiredConditions;
        Fired = new RuleOutcome(definition.RuleId, true, null);
        NotFired = new RuleOutcome(definition.RuleId, false, null);
        AvoidAreas = [.. definition.AvoidAreas.Distinct().Order()];
        FactTriggers = [.. definition.FactNames.Select(f => "child." + f)];
        Benefit = definition.Kind == RuleKind.Benefit
            ? new BenefitNote(definition.RuleId, definition.Topic, definition.Summary, definition.Evidence)
            : null;
        Unconditioned = Precaution(conflict: false, AvoidAreas, FactTriggers);
        UnconditionedConflict = Precaution(conflict: true, AvoidAreas, FactTriggers);
    }

    /// <summary>Position in rule order.</summary>
    public int Index { get; }

    public RuleDefinition Definition { get; }

    public string RuleId => Definition.RuleId;

    /// <summary>The compiled expression; may throw, which makes the rule errored.</summary>
    public Func<ChildFacts, bool> Predicate { get; }

    /// <summary>Condition ids one of which the child must have for the rule to be true (see <see cref="ConditionRequirement"/>); null: always evaluated.</summary>
    public IReadOnlyList<string>? RequiredConditions { get; }

    /// <summary>The trace entry of this rule when it fired.</summary>
    public RuleOutcome Fired { get; }

    /// <summary>The trace entry of this rule when it did not fire (evaluated false, or skipped by the index).</summary>
    public RuleOutcome NotFired { get; }

    /// <summary>The rule's own avoid areas, distinct and in enum order, as precautions list them.</summary>
    public BodyArea[] AvoidAreas { get; }

    /// <summary><c>child.Fact</c> for each fact the expression reads: triggered_by when no declared condition is present.</summary>
    public string[] FactTriggers { get; }

    /// <summary>The note of a fired benefit rule; null for precautions.</summary>
    public BenefitNote? Benefit { get; }

    /// <summary>The precaution of this rule when it fired with none of its declared conditions present and no plan conflict.</summary>
    public PrecautionResult Unconditioned { get; }

    /// <summary>The same with a plan conflict.</summary>
    public PrecautionResult UnconditionedConflict { get; }

    /// <summary>The precaution this rule gives when it fired, with the avoid areas and triggers of this request.</summary>
    public PrecautionResult Precaution(bool conflict, BodyArea[] avoidAreas, string[] triggeredBy) => new()
    {
        RuleId = Definition.RuleId,
        Outcome = conflict && Definition.ConflictOutcome > Definition.Outcome ? Definition.ConflictOutcome : Definition.Outcome,
        Severity = Definition.Severity,
        Summary = Definition.Summary,
        Detail = Definition.Detail,
        AvoidAreas = avoidAreas,
        MaxPressure = Definition.MaxPressure,
        PlanConflict = conflict,
        Evidence = Definition.Evidence,
        TriggeredBy = triggeredBy,
    };
}
