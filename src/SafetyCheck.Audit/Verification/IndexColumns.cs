using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Audit.Verification;

/// <summary>
/// A decision row's index columns (what lists and filters read: id, time, verdict, revision, rule ids) compared with
/// its record, as <c>audit verify</c> compares them (<c>IndexColumnMismatch</c>). Reads nothing more than the row.
/// </summary>
public static class IndexColumns
{
    /// <summary>The columns of <paramref name="row"/> that disagree with <paramref name="record"/>; empty when they all agree.</summary>
    public static IReadOnlyList<ColumnMismatch> Disagreeing(StoredEntry row, DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(record);
        var content = record.Content;
        var found = new List<ColumnMismatch>();
        Compare(found, "decision_id", row.EntryId, content.DecisionId);
        Compare(found, "recorded_at", row.RecordedAt, AuditTime.Write(content.RecordedAt));
        Compare(found, "verdict", row.Verdict, EnumNames.Of(content.Verdict));
        Compare(found, "revision", row.Revision, content.Revision);
        Compare(found, "rule_ids", row.RuleIds, DecisionRecordJson.RuleIdsColumn(content.FiredRuleIds));
        return found;
    }

    private static void Compare(List<ColumnMismatch> found, string column, string? stored, string recorded)
    {
        if (!string.Equals(stored, recorded, StringComparison.Ordinal))
        {
            found.Add(new ColumnMismatch(column, stored ?? "", recorded));
        }
    }
}

/// <summary>An index column of a decision's row that disagrees with its record.</summary>
/// <param name="Column">The column's name, as <c>audit verify</c> names it (<c>verdict</c>).</param>
/// <param name="Row">What the row holds (what lists and filters show).</param>
/// <param name="Record">What the record says.</param>
public sealed record ColumnMismatch(string Column, string Row, string Record)
{
    /// <summary>The mismatch in one clause, as the audit verbs print it: <c>the row's verdict column says 'A' but its record says 'B'</c>.</summary>
    public string Describe() => $"the row's {Column} column says '{Row}' but its record says '{Record}'";
}
