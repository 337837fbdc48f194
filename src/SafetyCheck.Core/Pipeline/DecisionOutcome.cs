namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// What one request comes to, whatever the transport: <see cref="Decided"/> (an assessment, recorded),
/// <see cref="Rejected"/> (every field violation; nothing recorded) or <see cref="Unavailable"/> (no answer at all, and
/// why). The hierarchy is closed: no other assembly can add a case. A transport maps it once, with
/// <see cref="Match{TResult}"/>, which makes it name every case.
/// </summary>
public abstract record DecisionOutcome
{
    private protected DecisionOutcome()
    {
    }

    /// <summary>The result of the function for this outcome's case.</summary>
    public abstract TResult Match<TResult>(Func<Decided, TResult> decided, Func<Rejected, TResult> rejected, Func<Unavailable, TResult> unavailable);
}
