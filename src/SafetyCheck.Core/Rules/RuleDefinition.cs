using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Rules;

/// <summary>One rule as loaded from a rule file: its expression and the metadata of its <c>Properties</c>.</summary>
public sealed record RuleDefinition
{
    /// <summary>Stable id (the RulesEngine <c>RuleName</c>), unique across the rule set.</summary>
    public required string RuleId { get; init; }

    public required RuleKind Kind { get; init; }

    /// <summary>What the rule contributes when it fires.</summary>
    public required Suitability Outcome { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>At most 140 characters, plain language.</summary>
    public required string Summary { get; init; }

    /// <summary>What the therapist should do.</summary>
    public required string Detail { get; init; }

    public required IReadOnlyList<BodyArea> AvoidAreas { get; init; }

    /// <summary>Also avoid the body_site of the input condition that fired the rule, when given.</summary>
    public required bool AvoidConditionSite { get; init; }

    /// <summary>Unspecified means no limit.</summary>
    public required Pressure MaxPressure { get; init; }

    /// <summary>The verdict when the planned session breaks the avoid areas or the pressure limit.</summary>
    public required Suitability ConflictOutcome { get; init; }

    public required Evidence Evidence { get; init; }

    /// <summary>The catalog ids the expression tests (checked against the expression at load).</summary>
    public required IReadOnlyList<string> ConditionIds { get; init; }

    /// <summary>Topic of a benefit note; empty for precautions.</summary>
    public required string Topic { get; init; }

    /// <summary>The expression over <c>child</c> and the policy parameters.</summary>
    public required string Expression { get; init; }

    /// <summary>The facts (members of <c>child</c>) the expression reads; named in triggered_by when no condition fired it.</summary>
    public IReadOnlyList<string> FactNames { get; init; } = [];

    /// <summary>Relative path of the rule file.</summary>
    public required string File { get; init; }

    /// <summary>1-based line of the rule's <c>RuleName</c>.</summary>
    public required int Line { get; init; }

    /// <summary>1-based column of the rule's <c>RuleName</c>; 0 when not read from a file.</summary>
    public int Column { get; init; }
}
