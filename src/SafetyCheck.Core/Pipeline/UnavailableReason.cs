namespace SafetyCheck.Core.Pipeline;

/// <summary>Why a request could not be answered (<see cref="Unavailable.Code"/> gives its machine-readable code).</summary>
public enum UnavailableReason
{
    /// <summary>No valid rule set is served (none loaded yet, or the last good one was never loaded).</summary>
    RuleSetUnavailable = 1,

    /// <summary>The decision was made but its audit record could not be made durable, so it is not answered.</summary>
    AuditUnavailable = 2,
}
