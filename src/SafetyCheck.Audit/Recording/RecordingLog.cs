using Microsoft.Extensions.Logging;

namespace SafetyCheck.Audit.Recording;

/// <summary>
/// Log messages of recording decisions. Never logs a patient_ref, a birth date, a pseudonym or a key, and never a stack
/// trace for a store failure (the chain writer logs those once per interval with a count).
/// </summary>
internal static partial class RecordingLog
{
    [LoggerMessage(330, LogLevel.Information, "Rule revision {Revision} is archived in the audit trail")]
    public static partial void RevisionArchived(ILogger logger, string revision);

    [LoggerMessage(331, LogLevel.Debug, "Rule revision {Revision} could not be archived in the audit trail ({Reason})")]
    public static partial void ArchiveFailed(ILogger logger, string revision, string reason);
}
