using Microsoft.Extensions.Logging;

namespace SafetyCheck.Audit.Chain;

/// <summary>Log messages of the chain writer: one line each, no stack traces, never a record's content.</summary>
internal static partial class ChainWriterLog
{
    [LoggerMessage(307, LogLevel.Information, "The audit writer accepts records again, after {FailedWrites} failed writes in {Seconds} s")]
    public static partial void WriterRecovered(ILogger logger, long failedWrites, string seconds);

    [LoggerMessage(309, LogLevel.Error, "Audit records could not be recorded: {Reason}; decisions are answered UNAVAILABLE until the store accepts writes again")]
    public static partial void WriteFailed(ILogger logger, string reason);

    [LoggerMessage(310, LogLevel.Error, "Audit records could not be recorded: {Count} more writes failed in the last {Seconds} s; latest: {Reason}")]
    public static partial void WritesStillFailing(ILogger logger, long count, string seconds, string reason);

    [LoggerMessage(318, LogLevel.Error, "The audit store still does not answer (no record waited in the last {Seconds} s); latest: {Reason}")]
    public static partial void StoreStillFailing(ILogger logger, string seconds, string reason);

    [LoggerMessage(335, LogLevel.Warning, "The clock went back: entry {Sequence} is recorded at {RecordedAt}, {Seconds} s before the entry placed before it ({PreviousRecordedAt}); the chain is unaffected, but lists by time place these entries by the time they state. Check the host's time synchronisation")]
    public static partial void ClockWentBack(ILogger logger, long sequence, string recordedAt, string seconds, string previousRecordedAt);

    [LoggerMessage(311, LogLevel.Critical, "The audit chain is refused and nothing more is appended to it: {Reason}")]
    public static partial void ChainRefused(ILogger logger, string reason);

    [LoggerMessage(312, LogLevel.Error, "The audit writer did not finish its last store write before the shutdown bound; the store is left to the process's exit and the writes still waiting are answered UNAVAILABLE")]
    public static partial void CloseAbandoned(ILogger logger);
}
