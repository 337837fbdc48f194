using System.Text.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary>
/// The rows a verb read from the audit trail (<c>report</c>, <c>impact</c>, <c>audit export</c>) that were changed
/// after they were recorded. Each row gets the checks <c>audit show</c> makes on one row that need nothing beside it:
/// the record no longer hashes to its entry_hash, or a decision row's index column (what filters and counts read)
/// disagrees with its record. Each row is also checked against the row before it in its chain (<see
/// cref="StoredEntry.Chain"/>; the last row seen is kept per chain): its prev_hash must be that row's entry_hash, and
/// no sequence may be missing between them, which finds a row deleted, inserted, or replaced and re-hashed. The verb
/// still writes its output from the rows as stored; it reports the changed rows on stderr, one line each up to <see
/// cref="Shown"/> then a count, and exits 2, as a trail that does not verify does.
/// </summary>
/// <remarks>
/// What the links can judge depends on how the verb reads. <c>audit export</c> reads every entry of each chain, of
/// every kind, from sequence 1 up to the head (<see cref="AuditScan"/>), so the first row must be sequence 1 linked to
/// the genesis hash and every later one must follow the one before it (<see cref="Check"/>). <c>report</c> and
/// <c>impact</c> read decisions only, perhaps in a time window (<see cref="IAuditReader.ListAsync"/>), so the rows they
/// read skip the other kinds of entry: where two rows of a chain read one after the other are not adjacent in sequence,
/// the rows between them are read from the chain (<see cref="IAuditChain.ReadRangeAsync"/>) for their links only, so a
/// sequence missing there is a finding and a skipped entry is not (<see cref="CheckAsync"/>); the first row such a verb
/// reads is linked to nothing before it unless it is sequence 1. Not checked by any of them: the rows before the first
/// one a filtered verb reads, and rows missing after the last one read (a truncated tail keeps every remaining link;
/// <c>audit verify</c> with a checkpoint finds it).
/// </remarks>
internal sealed class ChangedRows
{
    /// <summary>The changed rows named one by one; the rest are counted.</summary>
    public const int Shown = 10;

    private readonly List<string> _lines = [];
    private readonly Dictionary<string, (long Sequence, string EntryHash)> _last = new(StringComparer.Ordinal);
    private readonly Func<string?, IAuditChain>? _chainOf;
    private bool _otherKinds;

    /// <summary>For a verb that reads every entry of each chain in sequence order from sequence 1 (<see cref="Check"/>).</summary>
    public ChangedRows()
    {
    }

    /// <summary>
    /// For a verb that reads a subset of entries in sequence order, chain by chain (<see cref="CheckAsync"/>);
    /// <paramref name="chainOf"/> gives the chain a row's <see cref="StoredEntry.Chain"/> names, to read the rows
    /// between two it read.
    /// </summary>
    public ChangedRows(Func<string?, IAuditChain> chainOf)
    {
        ArgumentNullException.ThrowIfNull(chainOf);
        _chainOf = chainOf;
    }

    /// <summary>How many rows read were changed.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// Checks the next row of a verb that reads every entry of each chain in order: a sequence missing before it (from
    /// sequence 1 for the first row of its chain) is a finding.
    /// </summary>
    public void Check(StoredEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_chainOf is not null)
        {
            throw new InvalidOperationException("A subset of entries is checked with CheckAsync.");
        }

        Record(row, [.. Links(row, wholeChain: true), .. Problems(row)]);
    }

    /// <summary>
    /// Checks the next row of a verb that reads a subset of entries: when the row before it in its chain, as read, is
    /// not adjacent in sequence, the rows between are read first and checked for their links only.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The chain cannot be read.</exception>
    public async Task CheckAsync(StoredEntry row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_chainOf is null)
        {
            throw new InvalidOperationException("Every entry of a chain is checked with Check.");
        }

        if (_last.TryGetValue(row.Chain ?? "", out var before) && row.Sequence > before.Sequence + 1)
        {
            var between = AuditScan.ReadAsync(_chainOf(row.Chain), before.Sequence + 1, row.Sequence - 1, cancellationToken);
            await foreach (var skipped in between.ConfigureAwait(false))
            {
                Record(skipped, Links(skipped, wholeChain: false));
            }
        }

        Record(row, [.. Links(row, wholeChain: false), .. Problems(row)]);
    }

    private void Record(StoredEntry row, List<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        Count++;
        _otherKinds |= row.Kind != EntryKinds.Decision;
        if (_lines.Count < Shown)
        {
            _lines.Add($"CHANGED: {AuditCliChains.Prefix(row.Chain)}sequence {row.Sequence}: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// What is wrong with <paramref name="row"/>'s link to the row before it in its chain as read (then kept as the last
    /// row of its chain), worded as <c>audit show</c> words it. A sequence missing between them is a finding (a subset's
    /// caller has read the rows between by now); the first row of a chain is judged only when it is sequence 1 (it must
    /// link to the genesis hash) or when <paramref name="wholeChain"/> says the read starts at sequence 1.
    /// </summary>
    private List<string> Links(StoredEntry row, bool wholeChain)
    {
        var problems = new List<string>();
        var key = row.Chain ?? "";
        (long Sequence, string EntryHash)? before = _last.TryGetValue(key, out var last) ? last
            : wholeChain || row.Sequence == 1 ? (0, AuditHead.GenesisHash)
            : null;
        _last[key] = (row.Sequence, row.EntryHash);
        if (before is not { } previous || row.Sequence <= previous.Sequence)
        {
            // Nothing before it was read (a subset that starts past sequence 1), or rows out of order, which no read
            // in sequence order returns: not judged.
            return problems;
        }

        if (row.Sequence > previous.Sequence + 1)
        {
            problems.Add(EntryIntegrity.Missing(previous.Sequence + 1, row.Sequence - 1));
        }
        else if (!string.Equals(row.PrevHash, previous.EntryHash, StringComparison.Ordinal))
        {
            problems.Add(EntryIntegrity.BrokenLink(row.Sequence));
        }

        return problems;
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
    public string? Summary() => Count == 0 ? null : $"{Count} {(_otherKinds ? "" : "decision ")}row{(Count == 1 ? " was" : "s were")} changed after {(Count == 1 ? "it was" : "they were")} recorded and {(Count == 1 ? "is" : "are")} counted as stored; run 'audit verify'";

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
