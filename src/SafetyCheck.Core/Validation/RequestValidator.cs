using SafetyCheck.Core.Profiles;
using SafetyCheck.Core.Requests;

namespace SafetyCheck.Core.Validation;

/// <summary>Turns an <see cref="UnvalidatedRequest"/> into a <see cref="ChildProfile"/>, reporting every violation at once.</summary>
public sealed class RequestValidator(TimeProvider clock)
{
    /// <summary>Validates <paramref name="request"/>; the clock supplies as_of when the session has no scheduled_at.</summary>
    public ValidationResult Validate(UnvalidatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = clock;
        throw new NotImplementedException("in progress");
    }
}
