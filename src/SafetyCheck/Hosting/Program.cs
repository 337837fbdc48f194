using SafetyCheck.Cli;
using SafetyCheck.Hosting;
using SafetyCheck.Telemetry;

// serve handles SIGTERM and Ctrl+C through its host: it stops accepting calls, lets those in flight finish (up to
// SafetyCheck:Limits:ShutdownTimeoutSeconds) and disposes its services. System.CommandLine's own handler would end the
// process two seconds after the signal, whatever was still running, so it is switched off.
var environment = new CliEnvironment
{
    Input = CliEnvironment.StrictUtf8Reader(Console.OpenStandardInput()),
    ConfigureLogging = logging => logging.AddSafetyCheckConsole(),
    Composition = SafetyCheckComposition.Instance,
    Colours = TerminalColours.FromConsole(),
};
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await SafetyCheckCli.Create(environment).Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
