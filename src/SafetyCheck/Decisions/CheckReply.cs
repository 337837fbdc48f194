using SafetyCheck.Core.Validation;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.Decisions;

/// <summary>What one check comes to: a response, the request's field violations, or no rule set to answer with.</summary>
internal sealed record CheckReply
{
    private CheckReply(CheckResponse? response, IReadOnlyList<FieldViolation> violations)
    {
        Response = response;
        Violations = violations;
    }

    /// <summary>No valid rule set is loaded: nothing can be decided (UNAVAILABLE, exit 1).</summary>
    public static CheckReply Unavailable { get; } = new(null, []);

    /// <summary>The decision, when the request was valid.</summary>
    public CheckResponse? Response { get; }

    /// <summary>Every field violation, when the request was invalid; empty otherwise.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    public bool IsUnavailable => Response is null && Violations.Count == 0;

    public static CheckReply Decided(CheckResponse response) => new(response ?? throw new ArgumentNullException(nameof(response)), []);

    public static CheckReply Invalid(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentOutOfRangeException.ThrowIfZero(violations.Count);
        return new(null, violations);
    }
}
