namespace SafetyCheck.Terminology;

/// <summary>A terminology server could not be reached, did not answer in time, or answered something unusable; the message says which.</summary>
internal sealed class TerminologyServerException : Exception
{
    public TerminologyServerException()
    {
    }

    public TerminologyServerException(string message)
        : base(message)
    {
    }

    public TerminologyServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
