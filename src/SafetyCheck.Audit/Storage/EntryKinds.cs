namespace SafetyCheck.Audit.Storage;

/// <summary>
/// The kinds of chain entries. An entry's kind is part of its schema tag (<c>safetycheck.&lt;kind&gt;/v&lt;n&gt;</c>),
/// so it is inside the hash; stores keep it as an index column too. Kinds this build does not know still verify by
/// hash, link and envelope.
/// </summary>
public static class EntryKinds
{
    /// <summary>A decision: one Check and its verdict.</summary>
    public const string Decision = "decision";

    /// <summary>
    /// An outage of the store: when its writes began to fail and how many did, committed with the first write that
    /// succeeded after them (<see cref="Chain.AuditOutage"/>).
    /// </summary>
    public const string Outage = "outage";

    /// <summary>
    /// What a clinician did with a card a decision produced (a CDS Hooks feedback): accepted it, or overrode it and
    /// why (<see cref="Feedback.CardFeedbackEntry"/>).
    /// </summary>
    public const string CardFeedback = "card-feedback";

    /// <summary>A reload of the rule set, served or refused (<see cref="Records.ReloadRecord"/>).</summary>
    public const string Reload = "reload";
}
