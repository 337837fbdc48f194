using System.Data.Common;
using System.Text.Json;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Telemetry;

/// <summary>
/// At start, reads the audit trail's last <see cref="SilentRuleOptions.Window"/> + <see cref="SilentRuleOptions.NewRevisionWindow"/>
/// decisions of this instance's own chain (newest first through the store's index, the revision and <c>rule_ids</c>
/// columns only; in a store shared by several instances, another instance's decisions are not this one's history, and
/// its revisions may be ones this instance never served) and hands them to
/// the <see cref="SilentRuleWatch"/>, so that a restart on edited rule files is watched as a reload is. A trail that
/// cannot be read within <see cref="ReadBound"/> leaves the windows empty, with a warning: the alarm never holds up
/// serving.
/// </summary>
internal sealed class SilentRuleResumption(
    SilentRuleWatch watch,
    IOptions<TelemetryOptions> options,
    IServiceProvider services,
    ILogger<SilentRuleResumption> log) : IHostedService
{
    /// <summary>Longest the start waits for the trail.</summary>
    public static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.SilentRules;
        if (!settings.Enabled)
        {
            return;
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(ReadBound);
        try
        {
            if (services.GetService<IAuditReader>() is not { } reader)
            {
                return;
            }

            var chain = OwnChain.Of(services.GetService<IAuditStorage>());
            var decisions = await ReadLastAsync(reader, chain, settings.Window + settings.NewRevisionWindow, bound.Token).ConfigureAwait(false);
            watch.Resume(decisions);
            TelemetryLog.SilentRulesResumed(log, decisions.Count);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TelemetryLog.SilentRulesNotResumed(log, $"not read within {ReadBound.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or DbException or IOException or JsonException or InvalidOperationException)
        {
            TelemetryLog.SilentRulesNotResumed(log, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The last <paramref name="count"/> decisions of <paramref name="chain"/> (null: of the whole trail, a store of one chain), oldest first.</summary>
    public static async Task<IReadOnlyList<TrailDecision>> ReadLastAsync(IAuditReader reader, string? chain, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var newestFirst = new List<TrailDecision>(count);
        string? token = null;
        do
        {
            var page = await reader.ListAsync(
                new EntryFilter { Chain = chain, NewestFirst = true, PageSize = Math.Min(EntryFilter.MaxPageSize, count - newestFirst.Count), PageToken = token },
                cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Items)
            {
                if (entry.Revision is { } revision && newestFirst.Count < count)
                {
                    newestFirst.Add(new TrailDecision(revision, entry.RuleIds is { } ids ? JsonSerializer.Deserialize<string[]>(ids) ?? [] : []));
                }
            }

            token = page.NextPageToken;
        }
        while (token is not null && newestFirst.Count < count);

        newestFirst.Reverse();
        return newestFirst;
    }
}
