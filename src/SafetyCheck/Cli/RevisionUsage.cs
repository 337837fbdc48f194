namespace SafetyCheck.Cli;

/// <summary>The decisions one rule revision made in a report's period.</summary>
/// <param name="Revision">The revision (64 hex digits).</param>
/// <param name="Name">The rule set's name as archived with the revision; null when the revision was not archived.</param>
/// <param name="Version">The rule set's version as archived; null when not archived.</param>
/// <param name="Decisions">Decisions recorded on it in the period.</param>
/// <param name="FirstRecordedAt">The first one's recorded_at (RFC 3339, UTC).</param>
/// <param name="LastRecordedAt">The last one's recorded_at.</param>
internal sealed record RevisionUsage(string Revision, string? Name, string? Version, long Decisions, string FirstRecordedAt, string LastRecordedAt);
