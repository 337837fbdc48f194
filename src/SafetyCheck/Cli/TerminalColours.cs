namespace SafetyCheck.Cli;

/// <summary>
/// Whether the authoring verbs colour what they print (errors red, warnings and todo yellow, passes green): only on a
/// terminal, never when the stream is redirected (a file, a pipe, CI), when <c>NO_COLOR</c> is set to anything but
/// the empty string (no-color.org), or when <c>TERM</c> is <c>dumb</c>. Decided per stream.
/// </summary>
/// <param name="Output">Colour what goes to stdout.</param>
/// <param name="Error">Colour what goes to stderr.</param>
internal sealed record TerminalColours(bool Output, bool Error)
{
    private const string Reset = "\u001b[0m";

    /// <summary>No colour on either stream (tests, and anything that is not the real console).</summary>
    public static TerminalColours None { get; } = new(false, false);

    /// <summary>The real process's streams and environment.</summary>
    public static TerminalColours FromConsole() => new(
        Decide(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM")),
        Decide(Console.IsErrorRedirected, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM")));

    /// <summary>True when a stream gets colour: not redirected, <c>NO_COLOR</c> unset or empty, and <c>TERM</c> not <c>dumb</c>.</summary>
    public static bool Decide(bool redirected, string? noColor, string? term) =>
        !redirected && string.IsNullOrEmpty(noColor) && !string.Equals(term, "dumb", StringComparison.Ordinal);

    /// <summary><paramref name="text"/> in red when <paramref name="enabled"/>.</summary>
    public static string Red(string text, bool enabled) => Paint(text, "\u001b[1;31m", enabled);

    /// <summary><paramref name="text"/> in yellow when <paramref name="enabled"/>.</summary>
    public static string Yellow(string text, bool enabled) => Paint(text, "\u001b[1;33m", enabled);

    /// <summary><paramref name="text"/> in green when <paramref name="enabled"/>.</summary>
    public static string Green(string text, bool enabled) => Paint(text, "\u001b[1;32m", enabled);

    /// <summary><paramref name="text"/> in bold when <paramref name="enabled"/>.</summary>
    public static string Bold(string text, bool enabled) => Paint(text, "\u001b[1m", enabled);

    private static string Paint(string text, string code, bool enabled) => enabled ? code + text + Reset : text;
}
