using System.Data.Common;

namespace SafetyCheck.Audit.Storage;

/// <summary>A decision's index columns: what the summaries count, read without the record.</summary>
/// <param name="Sequence">Its place in its chain (from 1).</param>
/// <param name="RecordedAt">When it was recorded, in the audit time form (<see cref="Json.AuditTime"/>).</param>
/// <param name="Verdict">Verdict contract name, e.g. <c>NOT_SUITABLE</c>.</param>
/// <param name="Revision">The rule revision that made it.</param>
/// <param name="RuleIds">The ids of the rules that produced a precaution or a benefit note, as the JSON array stored; null when none is stored.</param>
public sealed record DecisionSummary(long Sequence, string RecordedAt, string? Verdict, string? Revision, string? RuleIds)
{
    /// <summary>The columns every store selects for a summary, in the order <see cref="Read"/> reads them.</summary>
    public const string Columns = "sequence, recorded_at, verdict, revision, rule_ids";

    /// <summary>Reads a row selected with <see cref="Columns"/>.</summary>
    public static DecisionSummary Read(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new DecisionSummary(
            row.GetInt64(0),
            row.GetString(1),
            row.IsDBNull(2) ? null : row.GetString(2),
            row.IsDBNull(3) ? null : row.GetString(3),
            row.IsDBNull(4) ? null : row.GetString(4));
    }
}
