using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Grpc;

/// <summary>
/// The service's error statuses, built in one place so every path answers alike: each carries a
/// <c>google.rpc.ErrorInfo</c> (reason from <see cref="ErrorReasons"/>, domain <see cref="ErrorReasons.Domain"/>) in
/// <c>grpc-status-details-bin</c>, with further details (BadRequest, RetryInfo) where a caller can act on them.
/// </summary>
internal static class RpcErrors
{
    // grpc-status-details-bin travels base64-encoded in a header, and many clients refuse headers over 8 KiB:
    // keep the serialized status well under that and summarise the rest.
    private const int DetailBudgetBytes = 5 * 1024;

    private const int FieldsNamedInMessage = 8;

    /// <summary>INVALID_ARGUMENT with every field violation in a <c>google.rpc.BadRequest</c> (as many as fit).</summary>
    [DoesNotReturn]
    public static void ThrowInvalidArgument(IReadOnlyList<FieldViolation> violations) => throw InvalidArgument(violations);

    /// <summary>UNAVAILABLE: no valid rule set is loaded, so nothing can be decided (never a silent "suitable").</summary>
    [DoesNotReturn]
    public static void ThrowUnavailable() =>
        throw Error(StatusCode.Unavailable, ErrorReasons.RuleSetUnavailable, "No valid rule set is loaded; the service cannot decide until one is.");

    /// <summary>UNAVAILABLE for an outcome with no answer (no rule set, or the decision could not be recorded): never a verdict.</summary>
    public static RpcException Unavailable(Unavailable unavailable)
    {
        ArgumentNullException.ThrowIfNull(unavailable);
        return Error(StatusCode.Unavailable, unavailable.Code, unavailable.Message);
    }

    /// <summary>An error status of <paramref name="code"/> with an ErrorInfo of <paramref name="reason"/> and any further <paramref name="details"/>.</summary>
    public static RpcException Error(StatusCode code, string reason, string message, params IMessage[] details) =>
        Status(code, reason, message, null, details).ToRpcException();

    /// <summary>The <c>google.rpc.Status</c> of an error: <paramref name="message"/>, an ErrorInfo, then <paramref name="details"/>.</summary>
    public static Google.Rpc.Status Status(StatusCode code, string reason, string message, IReadOnlyDictionary<string, string>? metadata = null, params IMessage[] details)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentNullException.ThrowIfNull(message);
        var info = new ErrorInfo { Reason = reason, Domain = ErrorReasons.Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                info.Metadata[key] = value;
            }
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        foreach (var detail in details ?? [])
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status;
    }

    /// <summary>The value of <c>grpc-status-details-bin</c> for <paramref name="status"/> (base64 of its bytes), for responses written without an RpcException.</summary>
    public static string DetailsHeader(Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return Convert.ToBase64String(status.ToByteArray());
    }

    /// <summary>A google.rpc.RetryInfo asking to retry after <paramref name="delay"/>.</summary>
    public static RetryInfo RetryAfter(TimeSpan delay) => new() { RetryDelay = Duration.FromTimeSpan(delay) };

    /// <summary>The ErrorInfo reason of <paramref name="exception"/>'s status details; null when it has none.</summary>
    public static string? ReasonOf(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
    }

    /// <summary>
    /// INVALID_ARGUMENT for a request the decision pipeline rejected, which logged it already (event 102, the fields
    /// at fault): marked so that the front end's one line per refused call (205) goes to Debug, not a second line at
    /// Information for the same request.
    /// </summary>
    public static RpcException Rejected(IReadOnlyList<FieldViolation> violations)
    {
        var exception = InvalidArgument(violations);
        exception.Data[LoggedWhereItArose] = true;
        return exception;
    }

    /// <summary>True when <paramref name="exception"/> was logged where it arose (see <see cref="Rejected"/>).</summary>
    public static bool WasLoggedWhereItArose(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Data.Contains(LoggedWhereItArose);
    }

    private const string LoggedWhereItArose = "SafetyCheck.LoggedWhereItArose";

    public static RpcException InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var badRequest = new BadRequest();
        var listed = 0;
        foreach (var violation in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
            if (badRequest.CalculateSize() > DetailBudgetBytes)
            {
                badRequest.FieldViolations.RemoveAt(badRequest.FieldViolations.Count - 1);
                break;
            }

            listed++;
        }

        if (listed < violations.Count)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation
            {
                Field = "",
                Description = $"{violations.Count - listed} more violations are not listed; correct these and send again",
            });
        }

        return Error(StatusCode.InvalidArgument, ErrorReasons.InvalidArgument, DescribeFields(violations), badRequest);
    }

    private static string DescribeFields(IReadOnlyList<FieldViolation> violations)
    {
        var fields = violations.Select(v => v.Field).Distinct(StringComparer.Ordinal).ToArray();
        var named = string.Join(", ", fields.Take(FieldsNamedInMessage));
        var more = fields.Length > FieldsNamedInMessage ? $" and {fields.Length - FieldsNamedInMessage} more" : "";
        return $"Invalid request: {violations.Count} field violation{(violations.Count == 1 ? "" : "s")} ({named}{more}); see the google.rpc.BadRequest details.";
    }
}
