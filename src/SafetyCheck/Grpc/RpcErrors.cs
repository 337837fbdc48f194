using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Grpc;

/// <summary>The service's error statuses, built in one place so every path answers alike.</summary>
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
        throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "No valid rule set is loaded; the service cannot decide until one is."));

    /// <summary>UNAVAILABLE for an outcome with no answer (no rule set, or the decision could not be recorded): never a verdict.</summary>
    public static RpcException Unavailable(Unavailable unavailable)
    {
        ArgumentNullException.ThrowIfNull(unavailable);
        return new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, unavailable.Message));
    }

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

        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = DescribeFields(violations),
            Details = { Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }

    private static string DescribeFields(IReadOnlyList<FieldViolation> violations)
    {
        var fields = violations.Select(v => v.Field).Distinct(StringComparer.Ordinal).ToArray();
        var named = string.Join(", ", fields.Take(FieldsNamedInMessage));
        var more = fields.Length > FieldsNamedInMessage ? $" and {fields.Length - FieldsNamedInMessage} more" : "";
        return $"Invalid request: {violations.Count} field violation{(violations.Count == 1 ? "" : "s")} ({named}{more}); see the google.rpc.BadRequest details.";
    }
}
