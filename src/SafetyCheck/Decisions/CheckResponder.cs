using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Check;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Requests;
using SafetyCheck.Protos.V1;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Decisions;

/// <summary>
/// Answers one CheckRequest with the served rule revision: map in, check, record, map out. The gRPC service and
/// <c>eval</c> both answer through this class, so a clinician's <c>eval</c> answers exactly as the service does
/// (the service records every decision before answering; <c>eval</c> records nothing).
/// </summary>
internal sealed class CheckResponder(
    RuleSetProvider rules,
    IDecisionIdSource decisionIds,
    IDecisionRecorder recorder,
    TimeProvider clock,
    ILogger<CheckResponder> log)
{
    /// <summary>Decides <paramref name="request"/> for <paramref name="caller"/> (null: anonymous) and records the decision.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled between rules.</exception>
    /// <exception cref="AuditStoreUnavailableException">The decision could not be recorded: there is no verdict to return.</exception>
    public Task<CheckReply> RespondAsync(CheckRequest request, string? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RespondAsync(ProtoMapper.ToUnvalidated(request), caller, cancellationToken);
    }

    /// <summary>
    /// Decides a request another front end (FHIR) has already mapped to Core's shape, exactly as a protobuf one; field
    /// paths in its violations are the contract's.
    /// </summary>
    public async Task<CheckReply> RespondAsync(UnvalidatedRequest request, string? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var checker = rules.Current;
        if (checker is null)
        {
            DecisionLog.NoRuleSet(log);
            return CheckReply.Unavailable;
        }

        var started = clock.GetTimestamp();
        var outcome = checker.Check(request, cancellationToken);
        if (!outcome.IsValid)
        {
            DecisionLog.Rejected(log, outcome.Violations.Count, string.Join(", ", outcome.Violations.Select(v => v.Field).Distinct(StringComparer.Ordinal)));
            return CheckReply.Invalid(outcome.Violations);
        }

        var decisionId = decisionIds.Next();
        var evaluatedAt = clock.GetUtcNow();
        var receipt = await recorder.RecordAsync(checker.RuleSet, outcome.Assessment, decisionId, caller, evaluatedAt, cancellationToken).ConfigureAwait(false);
        var response = ProtoMapper.ToResponse(outcome.Assessment, decisionId, evaluatedAt, request.Explain);
        if (receipt is not null)
        {
            response.Audit = new Protos.V1.AuditReceipt { Sequence = receipt.Sequence, EntryHash = receipt.EntryHash };
        }

        DecisionLog.Decided(log, response.DecisionId, EnumNames.Of(outcome.Assessment.Suitability), response.Precautions.Count,
            response.Ruleset.Revision, clock.GetElapsedTime(started).TotalMilliseconds);
        return CheckReply.Decided(response);
    }
}
