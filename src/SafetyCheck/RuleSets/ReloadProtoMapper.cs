using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Core.Rules;
using Proto = SafetyCheck.Protos.V1;

namespace SafetyCheck.RuleSets;

/// <summary>Maps a <see cref="ReloadReport"/> to <c>safetycheck.v1.RuleReload</c>, in one place for <c>ReloadRules</c> and <c>GetRuleset</c>.</summary>
internal static class ReloadProtoMapper
{
    public static Proto.RuleReload ToProto(ReloadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var message = new Proto.RuleReload
        {
            Outcome = report.Outcome switch
            {
                ReloadOutcome.Served => Proto.ReloadOutcome.ReloadServed,
                ReloadOutcome.Refused => Proto.ReloadOutcome.ReloadRefused,
                _ => Proto.ReloadOutcome.ReloadUnchanged,
            },
            Trigger = report.Trigger == ReloadTrigger.Caller ? Proto.ReloadTrigger.ReloadCaller : Proto.ReloadTrigger.ReloadFileWatch,
            CandidateRevision = report.CandidateRevision,
            Serving = report.Serving is { } serving ? new Proto.RulesetRef { Name = serving.Name, Version = serving.Version, Revision = serving.Revision } : null,
            PreviousRevision = report.PreviousRevision ?? "",
            CasesRun = report.CasesRun,
            CasesFailed = report.CasesFailed,
            AttemptedAt = Timestamp.FromDateTimeOffset(report.AttemptedAt),
            Audit = report.Receipt is { } receipt ? new Proto.AuditReceipt { Sequence = receipt.Sequence, EntryHash = receipt.EntryHash } : null,
        };
        message.Diagnostics.AddRange(report.Diagnostics.Select(ToProto));
        return message;
    }

    private static Proto.RuleDiagnostic ToProto(Diagnostic diagnostic) => new()
    {
        File = diagnostic.File,
        Line = diagnostic.Line,
        Column = diagnostic.Column,
        Severity = diagnostic.IsError ? "error" : "warning",
        Message = diagnostic.Message,
    };
}
