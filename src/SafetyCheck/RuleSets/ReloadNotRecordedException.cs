namespace SafetyCheck.RuleSets;

/// <summary>A reload or its revision could not be written to the audit trail: a candidate then does not serve.</summary>
internal sealed class ReloadNotRecordedException : Exception
{
    public ReloadNotRecordedException()
    {
    }

    public ReloadNotRecordedException(string message)
        : base(message)
    {
    }

    public ReloadNotRecordedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
