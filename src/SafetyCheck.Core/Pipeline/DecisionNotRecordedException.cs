namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Thrown by an <see cref="IDecisionRecorder"/> when a decision's record could not be made durable (the store is
/// closed, failing or refused). The pipeline answers <see cref="UnavailableReason.AuditUnavailable"/> and no verdict.
/// </summary>
public sealed class DecisionNotRecordedException : Exception
{
    public DecisionNotRecordedException()
    {
    }

    public DecisionNotRecordedException(string message)
        : base(message)
    {
    }

    public DecisionNotRecordedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
