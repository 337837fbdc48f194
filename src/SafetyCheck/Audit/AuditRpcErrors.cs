using Grpc.Core;
using SafetyCheck.Grpc;

namespace SafetyCheck.Audit;

/// <summary>The audit trail's error statuses (field violations go through <see cref="Grpc.RpcErrors"/>).</summary>
internal static class AuditRpcErrors
{
    /// <summary>UNAVAILABLE when the audit store cannot be read.</summary>
    public static RpcException Unreadable() =>
        RpcErrors.Error(StatusCode.Unavailable, ErrorReasons.AuditUnavailable, "The audit trail cannot be read now; try again later.");

    /// <summary>NOT_FOUND for a decision id the store has no record of.</summary>
    public static RpcException NotFound(string decisionId) =>
        RpcErrors.Error(StatusCode.NotFound, ErrorReasons.DecisionNotFound, $"No decision {decisionId} is recorded in the audit trail.");

    /// <summary>FAILED_PRECONDITION for a stored record that cannot be read as a decision record (tampered or damaged).</summary>
    public static RpcException RecordUnreadable(long sequence) =>
        RpcErrors.Error(StatusCode.FailedPrecondition, ErrorReasons.RecordUnreadable, $"The record at sequence {sequence} is not a readable decision record; run VerifyLog.");
}
