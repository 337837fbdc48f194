namespace SafetyCheck.Core.RuleSuite;

/// <summary>
/// A request in JSON that is not a CheckRequest, with the path of the field refused when it is known, so that a rule
/// case can be reported at that field of its file rather than at the whole request.
/// </summary>
public sealed class RequestJsonException : FormatException
{
    public RequestJsonException()
    {
    }

    public RequestJsonException(string message)
        : base(message)
    {
    }

    public RequestJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="message">What is wrong, after the field's path when there is one (<c>conditions[1].status: ...</c>).</param>
    /// <param name="field">The field refused, by proto field names and list indexes; null when not known.</param>
    /// <param name="innerException">The parser's own error, if any.</param>
    public RequestJsonException(string message, string? field, Exception? innerException)
        : base(message, innerException) => Field = field;

    /// <summary>The field refused (<c>conditions[1].status</c>), by proto field names and list indexes; null when not known.</summary>
    public string? Field { get; }
}
