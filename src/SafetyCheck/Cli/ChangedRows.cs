using System.Text.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary>
/// The rows a verb read from the audit trail (<c>report</c>, <c>impact</c>, <c>audit export</c>) that were changed
/// after they were recorded, found with the checks <c>audit show</c> makes on one row and that need nothing beside it:
/// the record no longer hashes to its entry_hash, or a decision row's index column (what filters and counts read)
/// disagrees with its record. The verb still writes its output from the rows as stored; it reports the changed rows on
/// stderr, one line each up to <see cref="Shown"/> then a count, and exits 2, as a trail that does not verify does.
/// </summary>
internal sealed class ChangedRows
{
    /// <summary>The changed rows named one by one; the rest are counted.</summary>
    public const int Shown = 10;

    private readonly List<string> _lines = [];

    /// <summary>How many rows read were changed.</summary>
    public long Count { get; private set; }

    /// <summary>Checks one row read from the trail.</summary>
    public void Check(StoredEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var problems = Problems(row);
        if (problems.Count == 0)
        {
            return;
        }

        Count++;
        if (_lines.Count < Shown)
        {
            _lines.Add($"CHANGED: {AuditCliChains.Prefix(row.Chain)}sequence {row.Sequence}: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// Writes the changed rows, then <paramref name="consequence"/> (what the output holds because of them); returns
    /// true when there were any (the verb then exits <see cref="ExitCodes.Rejected"/>).
    /// </summary>
    public async Task<bool> ReportAsync(TextWriter error, string consequence)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Count == 0)
        {
            return false;
        }

        foreach (var line in _lines)
        {
            await error.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (Count > _lines.Count)
        {
            await error.WriteLineAsync($"CHANGED: and {Count - _lines.Count} more row{(Count - _lines.Count == 1 ? "" : "s")}").ConfigureAwait(false);
        }

        await error.WriteLineAsync($"{Count} row{(Count == 1 ? " was" : "s were")} changed after {(Count == 1 ? "it was" : "they were")} recorded; {consequence}; run 'audit verify'").ConfigureAwait(false);
        return true;
    }

    /// <summary>A sentence for the report's reader: how many rows read were changed, or null when none was.</summary>
    public string? Summary() => Count == 0 ? null : $"{Count} decision row{(Count == 1 ? " was" : "s were")} changed after {(Count == 1 ? "it was" : "they were")} recorded and {(Count == 1 ? "is" : "are")} counted as stored; run 'audit verify'";

    private static List<string> Problems(StoredEntry row)
    {
        var problems = new List<string>();
        if (!ChainHash.IsIntact(row))
        {
            problems.Add("the record no longer hashes to its entry_hash");
        }

        if (row.Kind != EntryKinds.Decision)
        {
            return problems;
        }

        DecisionRecord record;
        try
        {
            record = row.ToRecord();
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException)
        {
            if (problems.Count == 0)
            {
                problems.Add("the record is not a readable decision record");
            }

            return problems;
        }

        problems.AddRange(IndexColumns.Disagreeing(row, record).Select(m => m.Describe()));
        return problems;
    }
}
