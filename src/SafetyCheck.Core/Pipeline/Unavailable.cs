namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Nothing can be answered: no verdict is returned (gRPC UNAVAILABLE, <c>eval</c> exit 1). Never a silent "suitable".
/// </summary>
/// <param name="Reason">Why, for machines.</param>
/// <param name="Message">Why, for people; names no patient data.</param>
public sealed record Unavailable(UnavailableReason Reason, string Message) : DecisionOutcome
{
    /// <summary>
    /// The reason as a stable upper-snake-case code (<c>RULESET_UNAVAILABLE</c>, <c>AUDIT_UNAVAILABLE</c>), the form a
    /// transport hands to machines (e.g. the reason of a <c>google.rpc.ErrorInfo</c>).
    /// </summary>
    public string Code => Reason switch
    {
        UnavailableReason.RuleSetUnavailable => "RULESET_UNAVAILABLE",
        UnavailableReason.AuditUnavailable => "AUDIT_UNAVAILABLE",
        _ => throw new InvalidOperationException($"Unknown reason {Reason}."),
    };

    public override TResult Match<TResult>(Func<Decided, TResult> decided, Func<Rejected, TResult> rejected, Func<Unavailable, TResult> unavailable)
    {
        ArgumentNullException.ThrowIfNull(unavailable);
        return unavailable(this);
    }
}
