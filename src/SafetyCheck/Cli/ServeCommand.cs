using SafetyCheck.Audit;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Facts;
using SafetyCheck.RuleSets;
using SafetyCheck.Security;

namespace SafetyCheck.Cli;

/// <summary><c>serve [--rules DIR] [--urls URL]</c>: the gRPC service.</summary>
internal static class ServeCommand
{
    /// <summary>The address when neither <c>--urls</c>, ASPNETCORE_URLS, <c>Urls</c> nor Kestrel endpoints are configured (the host's default).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var urls = CliOptions.NotEmpty(new Option<string?>("--urls")
        {
            Description = $"Listen addresses, ';'-separated, as in ASP.NET (default: ASPNETCORE_URLS or Urls in appsettings.json, else {DefaultUrl}). Cleartext endpoints speak HTTP/2 only.",
            HelpName = "URL",
        });
        urls.Validators.Add(result =>
        {
            if (result.Tokens.Select(t => UrlProblem(t.Value)).FirstOrDefault(p => p is not null) is { } problem)
            {
                result.AddError(problem);
            }
        });
        var auditDb = AuditCliOptions.Database();
        var command = new Command("serve", $"""
            Runs the gRPC service safetycheck.v1.SafetyCheck (Check, GetRuleset) with grpc.health.v1 and server
            reflection. Health answers NOT_SERVING until the rule set is loaded and warmed, then SERVING.
            Logs go to stderr. Calls need credentials (SafetyCheck:Authentication: API keys, JWT, client
            certificates); with none configured, on loopback a development key is written to .safetycheck/dev-key,
            and on any other address serve refuses to start. SIGTERM or Ctrl+C lets calls in flight finish.
            SafetyCheck:Limits:HealthUrls adds addresses that serve health only (for load balancers' probes);
            SafetyCheck:Limits caps connections per client address and closes idle ones (README, Limits).

            CDS Hooks 2.0: SafetyCheck:CdsHooks:Urls (off when unset) adds listeners (HTTP/1.1, and HTTP/2 by
            ALPN over TLS) serving GET /cds-services and the appointment-book and order-select services to the
            EHRs of SafetyCheck:CdsHooks:Issuers, each call with the EHR's signed JWT (README, CDS Hooks).

            Audit trail: every decision is recorded in the audit database (--audit-db) before it is returned, and
            safetycheck.v1.Audit serves it to auditors. Before it accepts calls, serve verifies the chain after its
            last verified point; then it verifies the whole chain and the archived rule files in the background.
            Health is also NOT_SERVING until the rule revision is archived and while decisions cannot be recorded:
            from the first failed commit, or one stalled past SafetyCheck:Audit:CommitStallSeconds (Check then
            answers UNAVAILABLE, never a verdict), until a commit succeeds again. With no traffic, a health call
            made when nothing was committed for 2 s first checks that the store answers, writing nothing
            (PostgreSQL: SELECT 1 on the chain's connection, reconnecting as a commit would; SQLite: nothing to
            check): a failure turns health NOT_SERVING the same way, until a commit succeeds again.

            Example:
              safetycheck serve --rules rules --urls http://127.0.0.1:5080
              grpcurl -plaintext -H "authorization: Bearer $(cat .safetycheck/dev-key)" -d @ 127.0.0.1:5080 safetycheck.v1.SafetyCheck/Check < seeds/toddler-with-eczema.json

            Exit codes: 0 stopped normally; 1 the rule set is invalid (diagnostics on stderr as file:line:col: message)
            or the options are (e.g. the address is in use, no credentials off loopback, a bad setting); 1 also when
            the audit database cannot be used (another serve holds it, it cannot be created) or its chain does not
            verify (at start, or in the background verification: one line names the sequence); 2 a bad argument (an
            unknown option, a missing value; nothing is started); 3 stopped, but the
            audit store did not close cleanly within SafetyCheck:Limits:ShutdownTimeoutSeconds (a write was still
            running, e.g. on a frozen file system; calls still waiting were answered UNAVAILABLE).
            """)
        {
            rules,
            urls,
            auditDb,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(environment, parse, parse.GetValue(rules), parse.GetValue(urls), parse.GetValue(auditDb), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, ParseResult parse, string? rulesFlag, string? urls, string? auditDb, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        if (TimeZoneData.Problem() is { } noZones)
        {
            await error.WriteLineAsync($"cannot start the service: {noZones}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        var settings = new ServeSettings(
            AuditCliOptions.HostArguments(auditDb),
            rulesFlag,
            urls,
            Path.Combine(Environment.CurrentDirectory, DevelopmentKey.DirectoryName));
        WebApplication built;
        try
        {
            built = environment.Composition.BuildServer(settings, environment);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync($"cannot start the service: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        await using var app = built;
        var startStopped = false;
        try
        {
            // A start refused for a bad setting (the options the host validates as it starts, such as a negative
            // reload debounce) or for want of credentials creates nothing: it is refused before the audit store is
            // opened and the development key written. The audit store is opened and its chain verified before the host
            // starts, so that a store that cannot be used or a chain that does not verify is the one line below (the
            // host would log its failed start with a stack trace first).
            app.Services.GetService<IStartupValidator>()?.Validate();
            app.Services.GetRequiredService<CredentialsGuard>().ThrowIfOpenToTheNetwork();
            _ = app.Services.GetRequiredService<AuditChainWriter>();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The service stopped itself while starting (a rule set that fails at once, an empty or missing directory,
            // stops it from inside StartAsync): stop what had started, then say why below, as for a later stop.
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            startStopped = true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OptionsValidationException or AuditStoreUnavailableException)
        {
            await error.WriteLineAsync($"cannot start the service: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several options failed validation: each one's settings, on the one line.
            await error.WriteLineAsync($"cannot start the service: {string.Join("; ", ex.InnerExceptions.Select(e => OneLine(e.Message)))}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything else that stops the start (a bad certificate, a refused bind): one line naming it, no stack trace.
            await error.WriteLineAsync($"cannot start the service: {ex.GetType().Name}: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        if (app.Services.GetRequiredService<RuleSetProvider>().LastLoad is { Succeeded: false } failed)
        {
            RuleSetReport.WriteDiagnostics(error, app.Services.GetRequiredService<RuleSetLoadingOptions>().Directory, failed.Diagnostics);
            return ExitCodes.CannotRun;
        }

        if (app.Services.GetRequiredService<AuditChainVerification>().Result is { IsValid: false } broken)
        {
            await error.WriteLineAsync($"stopped: the audit chain does not verify ({broken.Message}); nothing more was appended to it: run 'safetycheck audit verify' and investigate").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        if (!app.Services.GetRequiredService<AuditStoreLifetime>().ClosedCleanly)
        {
            await error.WriteLineAsync("stopped, but the audit store did not close cleanly: a write was still running at the shutdown bound").ConfigureAwait(false);
            return ExitCodes.StoreNotClosed;
        }

        if (startStopped)
        {
            await error.WriteLineAsync("cannot start the service: it was stopped while starting").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// What is wrong with a <c>--urls</c> value, one line naming the address, or null: each ';'-separated address must
    /// parse as a listen URL and any port must be 0-65535 (Kestrel would otherwise fail to start with "(Parameter 'port')").
    /// </summary>
    private static string? UrlProblem(string value)
    {
        foreach (var url in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ListenAddresses.TryParse(url) is not { } address)
            {
                return $"--urls: '{url}' is not a listen address (e.g. http://127.0.0.1:5080)";
            }

            if (!address.IsUnixPipe && !address.IsNamedPipe && address.Port is < 0 or > 65535)
            {
                return $"--urls: '{url}' has port {address.Port}, outside 0-65535";
            }
        }

        return null;
    }

    /// <summary>The message on one line (an options failure lists every bad setting, joined by "; ").</summary>
    private static string OneLine(string message) =>
        string.Join("; ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
