namespace SafetyCheck.Audit.Replay;

/// <summary>Recorded decisions whose verdict a candidate rule set would change from <paramref name="From"/> to <paramref name="To"/>.</summary>
/// <param name="From">The recorded verdict (contract name).</param>
/// <param name="To">The candidate's verdict.</param>
/// <param name="Decisions">How many decisions.</param>
/// <param name="Examples">Some of their decision ids, in the order met.</param>
public sealed record VerdictChange(string From, string To, long Decisions, IReadOnlyList<string> Examples);
