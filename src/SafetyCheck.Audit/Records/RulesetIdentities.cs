using System.Collections.Concurrent;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// Names the rule set behind decision records: a v1 record names it itself; a v2 record names only its revision, and
/// the name and version come from the archive, read once per revision. A revision missing from the archive (which the
/// writer never allows) is named by its hash alone. Thread-safe.
/// </summary>
public sealed class RulesetIdentities(IAuditReader reader)
{
    private readonly ConcurrentDictionary<string, RulesetIdentity> _known = new(StringComparer.Ordinal);

    /// <summary>The name, version and revision of the rule set that made <paramref name="record"/>.</summary>
    /// <exception cref="AuditStoreUnavailableException">The archive cannot be read.</exception>
    public async Task<RulesetIdentity> OfAsync(DecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Legacy is { } legacy)
        {
            return legacy.Ruleset;
        }

        var revision = record.Content.Revision;
        if (_known.TryGetValue(revision, out var identity))
        {
            return identity;
        }

        var archived = await reader.GetRevisionAsync(revision, cancellationToken).ConfigureAwait(false);
        return archived is null ? new RulesetIdentity("", "", revision) : _known.GetOrAdd(revision, archived.Identity);
    }
}
