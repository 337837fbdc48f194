using Grpc.Core;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Decisions;
using SafetyCheck.Grpc;
using SafetyCheck.Protos.V1;
using SafetyCheck.RuleSets;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.Check;

/// <summary><c>safetycheck.v1.SafetyCheck</c>: a thin adapter over <see cref="CheckResponder"/> and the served rule set.</summary>
internal sealed class SafetyCheckService(CheckResponder responder, RuleSetProvider rules) : SafetyCheckApi.SafetyCheckBase
{
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        CheckReply reply;
        try
        {
            reply = await responder.RespondAsync(request, CallerIdentity.Of(context), context.CancellationToken).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException)
        {
            throw AuditRpcErrors.NotRecorded();
        }

        if (reply.IsUnavailable)
        {
            RpcErrors.ThrowUnavailable();
        }

        if (reply.Response is null)
        {
            RpcErrors.ThrowInvalidArgument(reply.Violations);
        }

        return reply.Response;
    }

    public override Task<Ruleset> GetRuleset(GetRulesetRequest request, ServerCallContext context)
    {
        var checker = rules.Current;
        if (checker is null)
        {
            RpcErrors.ThrowUnavailable();
        }

        return Task.FromResult(ProtoMapper.ToRuleset(checker.RuleSet));
    }
}
