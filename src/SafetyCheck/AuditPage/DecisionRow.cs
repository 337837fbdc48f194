namespace SafetyCheck.AuditPage;

/// <summary>One decision in the list.</summary>
/// <param name="DecisionId">The decision's id (links to its page).</param>
/// <param name="Sequence">Its place in its chain.</param>
/// <param name="Chain">Its chain in a store of several chains; null in a store of one.</param>
/// <param name="RecordedAt">When it was recorded (audit time form, UTC).</param>
/// <param name="Verdict">Verdict contract name.</param>
/// <param name="Rules">Rules that produced a precaution or a benefit note, ordinal order.</param>
/// <param name="Revision">The rule revision that answered.</param>
/// <param name="Caller">Who asked (an API key's name or a token's subject), from the record; empty when the record cannot be read.</param>
/// <param name="Readable">False when the stored record is not a decision record this build reads.</param>
/// <param name="Changed">
/// True when the row was changed after it was recorded, as far as the row alone shows: its record does not hash to its
/// entry hash, its index columns (the verdict and rules shown) disagree with its record, or the record cannot be read.
/// </param>
public sealed record DecisionRow(
    string DecisionId,
    long Sequence,
    string? Chain,
    string RecordedAt,
    string Verdict,
    IReadOnlyList<string> Rules,
    string Revision,
    string Caller,
    bool Readable,
    bool Changed);
