using SafetyCheck.Core.Domain;

namespace SafetyCheck.Audit.Storage;

/// <summary>
/// Which entries a list returns; every criterion that is set must match. Pages are in sequence order, or newest first
/// (<see cref="NewestFirst"/>). By default only decisions are listed; a verdict, rule or caller criterion matches
/// decisions only.
/// </summary>
public sealed record EntryFilter
{
    /// <summary>Largest page size.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Recorded at or after this instant (inclusive); null for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Recorded before this instant (exclusive); null for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this verdict; null for any.</summary>
    public Suitability? Verdict { get; init; }

    /// <summary>Only decisions in which this rule produced a precaution or a benefit note; null for any.</summary>
    public string? RuleId { get; init; }

    /// <summary>Only decisions made on this rule revision; null for any.</summary>
    public string? Revision { get; init; }

    /// <summary>Only decisions asked for by this caller (an API key's name, a token's subject: exactly as recorded); null for any.</summary>
    public string? Caller { get; init; }

    /// <summary>
    /// Newest first: by recording time, latest first, ties (and entries of several chains recorded at the same instant)
    /// by chain then sequence, descending. Default false: sequence order (in a store of several chains, chain by chain).
    /// A page token continues the order it was issued for.
    /// </summary>
    public bool NewestFirst { get; init; }

    /// <summary>
    /// Only entries of this chain (<see cref="StoredEntry.Chain"/>) in a store that keeps one chain per instance; null for
    /// every chain. A store of one chain, whose entries name none, holds nothing of a chain named here.
    /// </summary>
    public string? Chain { get; init; }

    /// <summary>Only entries of this kind; default <see cref="EntryKinds.Decision"/>; null for every kind.</summary>
    public string? Kind { get; init; } = EntryKinds.Decision;

    /// <summary>Entries per page, 1–<see cref="MaxPageSize"/>; default 50.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>The <see cref="EntryPage.NextPageToken"/> of the previous page; null for the first page.</summary>
    public string? PageToken { get; init; }
}
