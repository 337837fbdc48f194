using Grpc.Core;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Grpc;
using SafetyCheck.Protos.V1;
using SafetyCheck.RuleSets;
using SafetyCheck.Security;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.Check;

/// <summary>
/// <c>safetycheck.v1.SafetyCheck</c>: maps the request in once, decides it with the <see cref="DecisionPipeline"/>, and
/// maps the outcome out once (a response, INVALID_ARGUMENT with every field violation, or UNAVAILABLE).
/// </summary>
internal sealed class SafetyCheckService(DecisionPipeline pipeline, RuleSetProvider rules, RuleReloader reloader) : SafetyCheckApi.SafetyCheckBase
{
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        var outcome = await pipeline.DecideAsync(ProtoMapper.ToUnvalidated(request), CallerIdentity.Of(context), context.CancellationToken).ConfigureAwait(false);
        return outcome.Match(
            decided => ProtoMapper.ToResponse(decided, request.Explain),
            rejected => throw RpcErrors.Rejected(rejected.Violations),
            unavailable => throw RpcErrors.Unavailable(unavailable));
    }

    public override Task<Ruleset> GetRuleset(GetRulesetRequest request, ServerCallContext context)
    {
        var checker = rules.Current;
        if (checker is null)
        {
            RpcErrors.ThrowUnavailable();
        }

        var ruleset = ProtoMapper.ToRuleset(checker.RuleSet);
        if (reloader.Last is { } reload)
        {
            // Says when the files on disk are not what serves: the last good revision answers until an edit passes.
            ruleset.LastReload = ReloadProtoMapper.ToProto(reload);
            ruleset.NewerRevisionRefused = reload.Outcome == RuleSets.ReloadOutcome.Refused;
        }

        return Task.FromResult(ruleset);
    }
}
