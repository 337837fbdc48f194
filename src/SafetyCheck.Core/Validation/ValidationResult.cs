using System.Diagnostics.CodeAnalysis;
using SafetyCheck.Core.Profiles;

namespace SafetyCheck.Core.Validation;

/// <summary>Either a valid profile or every field violation found.</summary>
public sealed record ValidationResult
{
    private ValidationResult(ChildProfile? profile, IReadOnlyList<FieldViolation> violations)
    {
        Profile = profile;
        Violations = violations;
    }

    /// <summary>The profile when valid.</summary>
    public ChildProfile? Profile { get; }

    /// <summary>Every violation, in field order; empty when valid.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    /// <summary>True when the request is valid and <see cref="Profile"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Profile))]
    public bool IsValid => Profile is not null;

    public static ValidationResult Valid(ChildProfile profile) => new(profile ?? throw new ArgumentNullException(nameof(profile)), []);

    public static ValidationResult Invalid(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentOutOfRangeException.ThrowIfZero(violations.Count);
        return new(null, violations);
    }
}
