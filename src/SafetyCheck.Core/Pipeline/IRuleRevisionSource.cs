using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Port: the rule revision being served. Each decision reads <see cref="Current"/> once and uses that snapshot from
/// validation to recording, so a reload that swaps the revision never splits a decision between two revisions, and
/// every decision carries the revision that made it.
/// </summary>
public interface IRuleRevisionSource
{
    /// <summary>The checker of the served revision (immutable); null while no valid rule set is served.</summary>
    SafetyChecker? Current { get; }
}
