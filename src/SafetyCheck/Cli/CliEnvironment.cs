namespace SafetyCheck.Cli;

/// <summary>
/// What the verbs take from outside besides their arguments: stdin for <c>eval -</c>, where logs go, whether the
/// streams get colour, and the composition root. Output and error writers come from System.CommandLine's invocation
/// configuration.
/// </summary>
internal sealed class CliEnvironment
{
    public required TextReader Input { get; init; }

    /// <summary>
    /// A reader of <paramref name="stream"/> (stdin) that throws at bytes that are not UTF-8, so that <c>eval -</c>
    /// refuses them as it refuses such a file, rather than reading replacement characters.
    /// </summary>
    public static TextReader StrictUtf8Reader(Stream stream) => new StreamReader(stream, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));

    /// <summary>Adds the log providers (configuration-driven levels are applied before).</summary>
    public required Action<ILoggingBuilder> ConfigureLogging { get; init; }

    /// <summary>Builds the service (<c>serve</c>) and the services of the other verbs.</summary>
    public required ICompositionRoot Composition { get; init; }

    /// <summary>Whether stdout and stderr get colour; none unless set (see <see cref="TerminalColours.FromConsole"/>).</summary>
    public TerminalColours Colours { get; init; } = TerminalColours.None;
}
