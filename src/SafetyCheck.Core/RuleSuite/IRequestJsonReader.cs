using SafetyCheck.Core.Requests;

namespace SafetyCheck.Core.RuleSuite;

/// <summary>
/// Reads a CheckRequest in protobuf JSON into an <see cref="UnvalidatedRequest"/>. Implemented by the executable
/// (which owns the protobuf types) so that rule cases read requests exactly as <c>eval</c> does.
/// </summary>
public interface IRequestJsonReader
{
    /// <summary>Reads <paramref name="json"/>.</summary>
    /// <exception cref="FormatException">The JSON is not a CheckRequest; the message says why.</exception>
    UnvalidatedRequest Read(string json);
}
