using Grpc.Core;
using SafetyCheck.Protos.V1;
using SafetyCheck.Security;

namespace SafetyCheck.RuleSets;

/// <summary>
/// <c>safetycheck.v1.RuleAdmin</c> (role <c>rules-admin</c>): <c>ReloadRules</c> reloads the rule directory through the
/// <see cref="RuleReloader"/> and answers what it did. A refused candidate is an answer (outcome REFUSED with the
/// diagnostics), not an error.
/// </summary>
internal sealed class RuleAdminService(RuleReloader reloader) : RuleAdmin.RuleAdminBase
{
    public override async Task<ReloadRulesResponse> ReloadRules(ReloadRulesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = await reloader.ReloadAsync(ReloadTrigger.Caller, CallerIdentity.Of(context).Name, context.CancellationToken).ConfigureAwait(false);
        return new ReloadRulesResponse { Reload = ReloadProtoMapper.ToProto(report) };
    }
}
