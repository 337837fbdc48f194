using SafetyCheck.Limits;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

/// <summary>Checks <see cref="AuditPageOptions"/> at start and reports every problem at once, naming the configuration key.</summary>
internal sealed class AuditPageOptionsValidator(IConfiguration configuration, IOptions<CredentialsOptions> credentials) : IValidateOptions<AuditPageOptions>
{
    private const string Section = AuditPageOptions.Section;

    public ValidateOptionsResult Validate(string? name, AuditPageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var urls = HealthListener.Split(options.Urls);
        foreach (var url in urls)
        {
            if (AuditPageListener.Problem(url) is { } problem)
            {
                failures.Add($"{Section}:Urls: '{url}' {problem}.");
            }
        }

        // A port shared with a gRPC or health address would give that listener HTTP/1.1 (and gRPC would fail there).
        // The host adds each acceptable page address once to the addresses it listens on; what is left is another listener's.
        var health = HealthListener.Split(configuration[$"{LimitsOptions.Section}:{nameof(LimitsOptions.HealthUrls)}"]);
        var page = AuditPageListener.Parse(options.Urls).Urls;
        var pagePorts = page.Select(Port).ToHashSet();
        var others = ListenAddresses.FromConfiguration(configuration).Concat(health).ToList();
        foreach (var own in page)
        {
            others.Remove(own);
        }

        foreach (var other in others.Distinct(StringComparer.Ordinal))
        {
            if (Port(other) is { } port && pagePorts.Contains(port))
            {
                failures.Add($"{Section}:Urls: port {port} is also a gRPC or health address ({other}); the page needs a port of its own.");
            }
        }

        if (options.IdleMinutes is < 1 or > 1440)
        {
            failures.Add($"{Section}:IdleMinutes must be between 1 and 1440 (got {options.IdleMinutes}).");
        }

        if (options.SessionHours is < 1 or > 24)
        {
            failures.Add($"{Section}:SessionHours must be between 1 and 24 (got {options.SessionHours}).");
        }

        var jwt = credentials.Value.Jwt;
        if (options.OpenIdConnect.IsConfigured && (!jwt.IsConfigured || string.IsNullOrWhiteSpace(jwt.Authority)))
        {
            failures.Add($"{Section}:OpenIdConnect:ClientId needs the issuer: set {CredentialsOptions.Section}:Jwt (Issuer, Audience) with an Authority, the https OpenID Connect issuer that publishes its keys.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static int? Port(string url)
    {
        try
        {
            return BindingAddress.Parse(url) is { IsUnixPipe: false, IsNamedPipe: false } address ? address.Port : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
