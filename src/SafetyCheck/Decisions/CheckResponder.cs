using SafetyCheck.Core.Domain;
using SafetyCheck.Grpc;
using SafetyCheck.Protos.V1;
using SafetyCheck.Rules;

namespace SafetyCheck.Decisions;

/// <summary>
/// Answers one CheckRequest with the served rule revision: map in, check, map out. The gRPC service and
/// <c>eval</c> both answer through this class, so a clinician's <c>eval</c> answers exactly as the service does.
/// </summary>
internal sealed class CheckResponder(
    RuleSetProvider rules,
    IDecisionIdSource decisionIds,
    TimeProvider clock,
    ILogger<CheckResponder> log)
{
    /// <summary>Decides <paramref name="request"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled between rules.</exception>
    public CheckReply Respond(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var checker = rules.Current;
        if (checker is null)
        {
            DecisionLog.NoRuleSet(log);
            return CheckReply.Unavailable;
        }

        var started = clock.GetTimestamp();
        var outcome = checker.Check(ProtoMapper.ToUnvalidated(request), cancellationToken);
        if (!outcome.IsValid)
        {
            DecisionLog.Rejected(log, outcome.Violations.Count, string.Join(", ", outcome.Violations.Select(v => v.Field).Distinct(StringComparer.Ordinal)));
            return CheckReply.Invalid(outcome.Violations);
        }

        var response = ProtoMapper.ToResponse(outcome.Assessment, decisionIds.Next(), clock.GetUtcNow(), request.Explain);
        DecisionLog.Decided(log, response.DecisionId, EnumNames.Of(outcome.Assessment.Suitability), response.Precautions.Count,
            response.Ruleset.Revision, clock.GetElapsedTime(started).TotalMilliseconds);
        return CheckReply.Decided(response);
    }
}
