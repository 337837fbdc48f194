using System.Diagnostics.CodeAnalysis;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Core.Evaluation;

/// <summary>The result of one check: an assessment, or the request's field violations (never both).</summary>
public sealed record CheckOutcome(Assessment? Assessment, IReadOnlyList<FieldViolation> Violations)
{
    /// <summary>True when the request was valid and <see cref="Assessment"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Assessment))]
    public bool IsValid => Assessment is not null;
}
