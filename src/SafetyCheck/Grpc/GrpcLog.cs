namespace SafetyCheck.Grpc;

/// <summary>
/// Log messages of the gRPC front end. A caller's error is one line without a stack trace and never holds the body;
/// a fault of the service is logged with its exception.
/// </summary>
internal static partial class GrpcLog
{
    [LoggerMessage(201, LogLevel.Error, "Unexpected error in {Method}: answered INTERNAL")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string method);

    [LoggerMessage(202, LogLevel.Information, "Call to {Method} ended early: cancelled by the caller or past its deadline")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(203, LogLevel.Information, "Answered INVALID_ARGUMENT to an undecodable request to {Method} (HTTP {HttpStatus}): {Reason}")]
    public static partial void Undecodable(ILogger logger, string method, int httpStatus, string reason);

    [LoggerMessage(204, LogLevel.Information, "Answered RESOURCE_EXHAUSTED to a request to {Method}: its frame declares {DeclaredLength} bytes, over the limit of {MaxReceiveMessageSize}")]
    public static partial void TooLarge(ILogger logger, string method, uint declaredLength, int maxReceiveMessageSize);

    [LoggerMessage(EventId = 205, Message = "Answered {Status} to {Caller} on {Method}: {Detail}")]
    public static partial void Answered(ILogger logger, LogLevel level, string status, string caller, string method, string detail);

    [LoggerMessage(206, LogLevel.Error, "The call to {Method} failed after its handler returned (writing the response)")]
    public static partial void FailedAfterHandler(ILogger logger, Exception exception, string method);
}
