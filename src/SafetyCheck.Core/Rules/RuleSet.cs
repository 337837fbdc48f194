using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Core.Rules;

/// <summary>A strictly loaded rule set: manifest, catalog, rules and the exact files behind its revision. Immutable.</summary>
public sealed class RuleSet
{
    public required RulesetIdentity Identity { get; init; }

    public required string Description { get; init; }

    /// <summary>Policy parameters in manifest order.</summary>
    public required IReadOnlyList<PolicyParameter> Parameters { get; init; }

    public required ConditionCatalog Catalog { get; init; }

    /// <summary>Rules in file order (ordinal path), then order within the file.</summary>
    public required IReadOnlyList<RuleDefinition> Rules { get; init; }

    /// <summary>
    /// The files behind the revision (manifest, catalog, rule files and terminology; not cases, not documentation),
    /// ordinal by path.
    /// </summary>
    public required IReadOnlyList<RuleSetFile> Files { get; init; }

    /// <summary>The rule directory it was loaded from (absolute); null when it was loaded from files in memory.</summary>
    public required string? Directory { get; init; }

    /// <summary>The policy document <c>ruleset.json</c> names; null when it names none.</summary>
    public PolicyReference? Policy { get; init; }

    /// <summary>Evidence shown on the engine's own review precautions (unrecognised codes), from ruleset.json.</summary>
    public required Evidence ReviewEvidence { get; init; }

    /// <summary>
    /// This revision's rules compiled at load (RulesEngine's workflows and parser, one delegate per expression, the
    /// condition index) and warmed; never mutated.
    /// </summary>
    internal CompiledRules Compiled { get; init; } = null!;
}
