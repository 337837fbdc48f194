using SafetyCheck.Cli;

return await SafetyCheckCli.Create(CliEnvironment.Console).Parse(args).InvokeAsync().ConfigureAwait(false);
