using Microsoft.Extensions.Logging;

namespace SafetyCheck.Audit.Chain;

/// <summary>Log messages of the chain writer. Never logs a record's content.</summary>
internal static partial class ChainWriterLog
{
    [LoggerMessage(307, LogLevel.Information, "The audit writer accepts records again")]
    public static partial void WriterRecovered(ILogger logger);

    [LoggerMessage(309, LogLevel.Warning, "The audit writer failed a write: {Reason}")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string reason);
}
