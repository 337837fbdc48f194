using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Records feedback on cards in the audit chain, one <see cref="CardFeedbackEntry"/> per card, each naming the decision
/// its card came from (<see cref="CardIds"/>). Only cards of decisions this trail holds are taken: a uuid that leads to
/// none (one the service never issued, or a card saying the check could not be made, which has no decision) is refused
/// before anything is recorded. Completes once every entry is durable.
/// </summary>
internal sealed class FeedbackRecorder(AuditChainWriter writer, IAuditReader reader, TimeProvider clock)
{
    /// <summary>
    /// Records <paramref name="items"/>; or, when a card leads to no decision in the trail, records nothing and names
    /// each such card in <paramref name="violations"/> (<c>feedback[i].card</c>).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The trail could not be read, or an entry could not be made durable.</exception>
    public async Task RecordAsync(IReadOnlyList<CardFeedback> items, List<FieldViolation> violations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(violations);
        var decisions = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (await FindDecisionAsync(items[i].Card, cancellationToken).ConfigureAwait(false) is { } decision)
            {
                decisions[i] = decision;
            }
            else
            {
                violations.Add(new FieldViolation($"feedback[{i}].card", "is not the uuid of a card of a decision this service's audit trail holds (a card saying the check could not be made has no decision and takes no feedback)"));
            }
        }

        if (violations.Count > 0)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var now = clock.GetUtcNow();
            var entry = new CardFeedbackEntry(Guid.CreateVersion7(now).ToString("D"), now, items[i] with { DecisionId = decisions[i] });
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
