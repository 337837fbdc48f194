namespace SafetyCheck.Grpc;

/// <summary>Log messages of the gRPC front end.</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(201, LogLevel.Error, "Unexpected error in {Method}: answered INTERNAL")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string method);

    [LoggerMessage(202, LogLevel.Information, "Call to {Method} ended early: cancelled by the caller or past its deadline")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(203, LogLevel.Warning, "Answered INVALID_ARGUMENT to an undecodable request to {Method} (HTTP {HttpStatus}): {Reason}")]
    public static partial void Undecodable(ILogger logger, string method, int httpStatus, string reason);
}
