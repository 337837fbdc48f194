using SafetyCheck.Audit.Pseudonyms;

namespace SafetyCheck.Audit.Feedback;

/// <summary>
/// What a clinician did with one card, as the EHR reported it (CDS Hooks feedback), in the form the audit trail keeps:
/// nothing the caller wrote that could name the child. The service records a card uuid in canonical form, an override
/// reason the cards offer with the service's own display, and the clinician's comment only as a keyed digest; it
/// records no suggestions (its cards offer none). Members marked v1 are read from records written before
/// (<c>safetycheck.card-feedback/v1</c>) and are no longer written.
/// </summary>
public sealed record CardFeedback
{
    /// <summary>Largest length of the short strings (card id, service id, codes), in characters.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Who reported it: the EHR's token issuer.</summary>
    public required string Caller { get; init; }

    /// <summary>The CDS service the card came from (its id, e.g. <c>massage-safety-appointment</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The card's <c>uuid</c>, lowercase with hyphens (<c>Guid.ToString("D")</c>); v1 records hold it as sent.</summary>
    public required string Card { get; init; }

    /// <summary>The decision the card belongs to; null when this trail holds no decision for it.</summary>
    public string? DecisionId { get; init; }

    /// <summary><c>accepted</c> or <c>overridden</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>When the clinician acted (the EHR's <c>outcomeTimestamp</c>, UTC).</summary>
    public required DateTimeOffset OutcomeAt { get; init; }

    /// <summary>v1 only: the ids of the accepted suggestions, as sent; empty for none, and always empty in v2.</summary>
    public IReadOnlyList<string> AcceptedSuggestions { get; init; } = [];

    /// <summary>
    /// The override reason chosen (a coding); null for none. The service records only a reason its cards offer, with its
    /// own display; v1 records hold the coding as sent.
    /// </summary>
    public OverrideReasonCode? OverrideReason { get; init; }

    /// <summary>
    /// The clinician's comment as a keyed digest (<see cref="Pseudonymiser.Digest"/> for
    /// <see cref="Pseudonymiser.UserCommentPurpose"/>) and its key id; null when there was none. The comment itself is not
    /// kept, and without the key it cannot be confirmed by guessing.
    /// </summary>
    public KeyedDigest? UserCommentDigest { get; init; }

    /// <summary>
    /// v1 only: lowercase hex SHA-256 of the clinician's comment (UTF-8), unkeyed; null when there was none. Read from
    /// records written before, never written now.
    /// </summary>
    public string? UserCommentSha256 { get; init; }
}
