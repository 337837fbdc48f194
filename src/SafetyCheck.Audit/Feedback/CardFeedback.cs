namespace SafetyCheck.Audit.Feedback;

/// <summary>
/// What a clinician did with one card, as the EHR reported it (CDS Hooks feedback), in the form the audit trail keeps:
/// no free text, which could name the child, only its hash.
/// </summary>
public sealed record CardFeedback
{
    /// <summary>Largest length of the short strings (card id, service id, codes), in characters.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Who reported it: the EHR's token issuer.</summary>
    public required string Caller { get; init; }

    /// <summary>The CDS service the card came from (its id, e.g. <c>massage-safety-appointment</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The card's <c>uuid</c>, as sent.</summary>
    public required string Card { get; init; }

    /// <summary>The decision the card belongs to; null when this trail holds no decision for it.</summary>
    public string? DecisionId { get; init; }

    /// <summary><c>accepted</c> or <c>overridden</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>When the clinician acted (the EHR's <c>outcomeTimestamp</c>, UTC).</summary>
    public required DateTimeOffset OutcomeAt { get; init; }

    /// <summary>The ids of the accepted suggestions, as sent; empty for none.</summary>
    public IReadOnlyList<string> AcceptedSuggestions { get; init; } = [];

    /// <summary>The override reason chosen (a coding); null for none.</summary>
    public OverrideReasonCode? OverrideReason { get; init; }

    /// <summary>Lowercase hex SHA-256 of the clinician's comment (UTF-8); null when there was none. The comment itself is not kept.</summary>
    public string? UserCommentSha256 { get; init; }
}
