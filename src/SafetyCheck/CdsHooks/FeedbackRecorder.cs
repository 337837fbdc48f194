using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Records feedback on cards in the audit chain, one <see cref="CardFeedbackEntry"/> per card, each naming the decision
/// its card came from when this trail holds it (<see cref="CardIds"/>). Completes once every entry is durable.
/// </summary>
internal sealed class FeedbackRecorder(AuditChainWriter writer, IAuditReader reader, TimeProvider clock)
{
    /// <summary>Records <paramref name="items"/>.</summary>
    /// <exception cref="AuditStoreUnavailableException">An entry could not be made durable.</exception>
    public async Task RecordAsync(IReadOnlyList<CardFeedback> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            var decision = await FindDecisionAsync(item.Card, cancellationToken).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            var entry = new CardFeedbackEntry(Guid.CreateVersion7(now).ToString("D"), now, item with { DecisionId = decision });
            await writer.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> FindDecisionAsync(string card, CancellationToken cancellationToken)
    {
        foreach (var candidate in CardIds.DecisionCandidates(card))
        {
            if (await reader.GetAsync(candidate, cancellationToken).ConfigureAwait(false) is { Kind: EntryKinds.Decision })
            {
                return candidate;
            }
        }

        return null;
    }
}
