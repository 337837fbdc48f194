using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Json;

/// <summary>
/// A JSON file read for a clinician: parsed strictly by <see cref="JsonSourceMap"/> (syntax errors, duplicate
/// properties and what Newtonsoft tolerates but JSON does not are diagnostics) into a <see cref="JToken"/> tree,
/// with the start of every token known so that diagnostics point where an editor shows the problem.
/// </summary>
public sealed class JsonSourceFile
{
    private readonly JsonSourceMap _map;

    private JsonSourceFile(string displayPath, JsonSourceMap map)
    {
        DisplayPath = displayPath;
        _map = map;
    }

    /// <summary>Path shown in diagnostics (relative to the rule directory, forward slashes).</summary>
    public string DisplayPath { get; }

    /// <summary>The parsed tree; null when the text is not well-formed JSON (a diagnostic says why).</summary>
    public JToken? Root => _map.Root;

    /// <summary>Parses <paramref name="text"/>; every syntax problem becomes a diagnostic at its position.</summary>
    public static JsonSourceFile Parse(string displayPath, string text, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        return new JsonSourceFile(displayPath, JsonSourceMap.Read(text, displayPath, diagnostics));
    }

    /// <summary>A diagnostic at the start of <paramref name="token"/>.</summary>
    public Diagnostic At(JToken token, string message)
    {
        var (line, column) = StartOf(token);
        return new Diagnostic(DisplayPath, line, column, message);
    }

    /// <summary>
    /// A diagnostic at the character <paramref name="index"/> (0-based) of the string value <paramref name="token"/>,
    /// counted in its decoded text: the column accounts for the escapes written before it (see
    /// <see cref="PositionInString"/>).
    /// </summary>
    public Diagnostic AtCharacter(JToken token, int index, string message)
    {
        var (line, column) = PositionInString(token, index);
        return new Diagnostic(DisplayPath, line, column, message);
    }

    /// <summary>
    /// The 1-based line and column where the character <paramref name="index"/> (0-based, in the decoded text) of the
    /// string value <paramref name="token"/> is written; past the end, the closing quote.
    /// </summary>
    public (int Line, int Column) PositionInString(JToken token, int index)
    {
        ArgumentNullException.ThrowIfNull(token);
        var position = _map.PositionInString(token, index);
        return (position.Line, position.Column);
    }

    /// <summary>The 1-based line and column where <paramref name="token"/> starts in the source.</summary>
    public (int Line, int Column) StartOf(JToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var position = _map.StartOf(token);
        return (position.Line, position.Column);
    }
}
