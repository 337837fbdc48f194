using System.Globalization;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Input;
using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>eval --fhir</c>: FHIR R4 in, mapped by <see cref="FhirRequestMapper"/> against the loaded rule revision's
/// catalog, then decided through the same pipeline as <c>eval</c>, on the same revision.
/// </summary>
internal static class EvalFhir
{
    private static readonly Dictionary<string, string> SessionFlags = new(StringComparer.Ordinal)
    {
        ["session.scheduled_at"] = "--at",
        ["session.time_zone"] = "--time-zone",
        ["session.setting"] = "--setting",
        ["session.pressure"] = "--pressure",
        ["session.areas"] = "--areas",
    };

    public static async Task<int> RunAsync(
        CliEnvironment environment, ParseResult parse, string? rulesFlag, string file, EvalFhirOptions options, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        var flagViolations = new List<FieldViolation>();
        var session = ReadSession(parse, options, flagViolations);
        if (flagViolations.Count > 0)
        {
            return await BadCommandLine.RejectAsync(parse, flagViolations.Select(ToFlag).Select(v => $"{v.Field}: {v.Description}")).ConfigureAwait(false);
        }

        var (json, exit) = await EvalCommand.ReadInputAsync(environment, error, file, cancellationToken, "--fhir").ConfigureAwait(false);
        if (json is null)
        {
            return exit;
        }

        // The FHIR input is parsed before the rule set is loaded: malformed input is reported at once.
        var resources = FhirJsonReader.Read(json);
        if (resources.Problems.Count > 0)
        {
            await WriteIgnoredAsync(error, resources.Ignored).ConfigureAwait(false);
            await WriteViolationsAsync(error, resources.Problems).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        await using var services = EvalCommand.LoadRules(environment, error, rulesFlag, parse.GetValue<bool>(CliOptions.VerboseName));
        if (services is null)
        {
            return ExitCodes.CannotRun;
        }

        // One revision throughout: its catalog chooses among codings, and the same snapshot decides.
        var revision = services.GetRequiredService<IRuleRevisionSource>().Current!;
        var scheduledAt = session.At ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var mapper = new FhirRequestMapper(revision.RuleSet.Catalog);
        var result = mapper.Map(resources, session.Session with { ScheduledAt = scheduledAt });
        await WriteIgnoredAsync(error, result.Ignored).ConfigureAwait(false);
        switch (result)
        {
            case FhirRejected rejected:
                await WriteViolationsAsync(error, rejected.Violations).ConfigureAwait(false);
                return ExitCodes.Rejected;
            case FhirMapped mapped:
                var outcome = await services.GetRequiredService<DecisionPipeline>().DecideAsync(revision, mapped.Request, Caller.Anonymous, cancellationToken).ConfigureAwait(false);
                return await EvalCommand.WriteOutcomeAsync(parse, outcome, mapped.Request.Explain, v => ToFlag(mapped.ToFhir(v))).ConfigureAwait(false);
            default:
                throw new InvalidOperationException("Unknown mapping result " + result.GetType().Name);
        }
    }

    private static (FhirSession Session, DateTimeOffset? At) ReadSession(ParseResult parse, EvalFhirOptions options, List<FieldViolation> violations)
    {
        DateTimeOffset? at = null;
        if (parse.GetValue(options.At) is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && HasZone(text))
            {
                at = parsed;
            }
            else
            {
                violations.Add(new("--at", "must be an RFC 3339 timestamp with a zone, e.g. 2026-03-02T10:00:00Z"));
            }
        }

        var areas = new List<BodyArea>();
        foreach (var name in (parse.GetValue(options.Areas) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            areas.Add(ParseName<BodyArea>(name, "--areas", violations));
        }

        var session = new FhirSession
        {
            ScheduledAt = DateTimeOffset.UnixEpoch,
            TimeZone = parse.GetValue(options.TimeZone) ?? "UTC",
            Setting = parse.GetValue(options.Setting) is { } setting ? ParseName<Setting>(setting, "--setting", violations) : default,
            Pressure = parse.GetValue(options.Pressure) is { } pressure ? ParseName<Pressure>(pressure, "--pressure", violations) : default,
            MedicalRelease = parse.GetValue(options.MedicalRelease),
            Areas = areas.Distinct().ToArray(),
        };
        return (session, at);
    }

    /// <summary>RFC 3339 needs Z or an offset after the time.</summary>
    private static bool HasZone(string text)
    {
        var time = text.IndexOfAny(['T', 't']);
        return time > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.AsSpan(time).IndexOfAny('+', '-') > 0);
    }

    private static T ParseName<T>(string name, string flag, List<FieldViolation> violations)
        where T : struct, Enum
    {
        if (EnumNames.TryParse<T>(name.ToUpperInvariant(), out var value))
        {
            return value;
        }

        violations.Add(new(flag, $"'{name}' is not one of {string.Join(", ", EnumNames.All<T>())}"));
        return default;
    }

    private static FieldViolation ToFlag(FieldViolation violation)
    {
        var field = violation.Field;
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        var key = bracket < 0 ? field : field[..bracket];
        return SessionFlags.TryGetValue(key, out var flag) ? violation with { Field = flag } : violation;
    }

    private static async Task WriteViolationsAsync(TextWriter error, IEnumerable<FieldViolation> violations)
    {
        foreach (var violation in violations.Select(ToFlag))
        {
            await error.WriteLineAsync($"{violation.Field}: {violation.Description}").ConfigureAwait(false);
        }
    }

    private static async Task WriteIgnoredAsync(TextWriter error, IEnumerable<IgnoredElement> ignored)
    {
        foreach (var item in ignored)
        {
            await error.WriteLineAsync($"ignored: {item}").ConfigureAwait(false);
        }
    }
}
