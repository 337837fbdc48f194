namespace SafetyCheck.Cli;

/// <summary>The flags of <c>eval --fhir</c>: the FHIR input and the planned session, which FHIR clinical data does not carry.</summary>
internal sealed class EvalFhirOptions
{
    public Option<string?> File { get; } = CliOptions.NotEmpty(new("--fhir")
    {
        Description = "FHIR R4 JSON: a Bundle (or one resource), or a CDS Hooks prefetch object; - reads stdin.",
        HelpName = "FILE|-",
    }, "give a file name, or - for stdin");

    public Option<string?> At { get; } = CliOptions.NotEmpty(new("--at")
    {
        Description = "The session time, RFC 3339 with a zone (2026-03-02T10:00:00Z); ages, onsets and the day's temperature are judged at it. Default: now.",
        HelpName = "TIMESTAMP",
    });

    public Option<string?> TimeZone { get; } = CliOptions.NotEmpty(new("--time-zone")
    {
        Description = "IANA time zone whose calendar date of --at is the session date (Europe/London). Default: UTC.",
        HelpName = "ZONE",
    });

    public Option<string?> Setting { get; } = CliOptions.NotEmpty(new("--setting")
    {
        Description = "HOME, OUTPATIENT, INPATIENT or NICU.",
        HelpName = "SETTING",
    });

    public Option<string?> Areas { get; } = CliOptions.NotEmpty(new("--areas")
    {
        Description = "Planned areas, comma-separated: WHOLE_BODY, HEAD, FACE, NECK, CHEST, ABDOMEN, BACK, ARMS, HANDS, LEGS, FEET.",
        HelpName = "A,B",
    });

    public Option<string?> Pressure { get; } = CliOptions.NotEmpty(new("--pressure")
    {
        Description = "Planned pressure: LIGHT, MODERATE or FIRM.",
        HelpName = "P",
    });

    public Option<bool> MedicalRelease { get; } = new("--medical-release")
    {
        Description = "The child's care team has released the child for massage (NICU, ward).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(At);
        command.Options.Add(TimeZone);
        command.Options.Add(Setting);
        command.Options.Add(Areas);
        command.Options.Add(Pressure);
        command.Options.Add(MedicalRelease);
    }

    /// <summary>True when any session flag was given (they belong to --fhir).</summary>
    public bool SessionFlagsGiven(ParseResult parse) =>
        new Option[] { At, TimeZone, Setting, Areas, Pressure, MedicalRelease }.Any(o => parse.GetResult(o) is { Implicit: false });
}
