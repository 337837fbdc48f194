using SafetyCheck.Telemetry;

namespace SafetyCheck.Cli;

/// <summary>
/// What the verbs take from the process besides their arguments: stdin for <c>eval -</c>, where logs go, and whether
/// the streams get colour. Output and error writers come from System.CommandLine's invocation configuration.
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>The real process: stdin, console logs on stderr.</summary>
    public static CliEnvironment Console { get; } = new()
    {
        Input = System.Console.In,
        ConfigureLogging = logging => logging.AddSafetyCheckConsole(),
        Colours = TerminalColours.FromConsole(),
    };

    public required TextReader Input { get; init; }

    /// <summary>Adds the log providers (configuration-driven levels are applied before).</summary>
    public required Action<ILoggingBuilder> ConfigureLogging { get; init; }

    /// <summary>Whether stdout and stderr get colour; none unless set (see <see cref="TerminalColours.FromConsole"/>).</summary>
    public TerminalColours Colours { get; init; } = TerminalColours.None;
}
