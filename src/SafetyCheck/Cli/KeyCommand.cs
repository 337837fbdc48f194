using SafetyCheck.Security;

namespace SafetyCheck.Cli;

/// <summary><c>key --name NAME --role ROLE...</c>: a new API key and the configuration that accepts it.</summary>
internal static class KeyCommand
{
    public static Command Create()
    {
        var known = string.Join(", ", SafetyCheckRoles.All);
        var name = CliOptions.NotEmpty<string>(
            new Option<string>("--name")
            {
                Description = "The caller's name, recorded with each decision it asks for (e.g. scheduling-app).",
                HelpName = "NAME",
                Required = true,
            },
            "give the caller's name (e.g. scheduling-app)");
        var roles = CliOptions.NotEmpty(
            new Option<string[]>("--role")
            {
                Description = $"A role the key holds: {known}. Repeat for several.",
                HelpName = "ROLE",
                Required = true,
                AllowMultipleArgumentsPerToken = false,
            },
            $"give one of {known}");
        roles.Validators.Add(result =>
        {
            // An empty role is refused as empty above, not again as unknown.
            if (!CliOptions.HasBlank(result.Tokens)
                && result.Tokens.Select(t => t.Value).Where(r => !SafetyCheckRoles.IsKnown(r)).ToArray() is { Length: > 0 } unknown)
            {
                result.AddError($"--role: unknown role {string.Join(", ", unknown.Select(r => $"'{r}'"))}; known: {known}");
            }
        });
        var command = new Command("key", """
            Makes a random API key and prints it once, with its SHA-256 and the configuration entry that accepts
            it (appsettings.json and environment variables). Give the key to the caller; configure only the hash.
            Nothing is stored.

            Example:
              safetycheck key --name scheduling-app --role clinical-app

            Exit codes: 0 printed; 2 a bad argument (no --name or no --role, an empty --name, an empty or unknown
            --role, an unknown option).
            """)
        {
            name,
            roles,
        };
        command.SetAction((parse, _) => RunAsync(parse, parse.GetValue(name)!, parse.GetValue(roles) ?? []));
        return command;
    }

    /// <summary>Prints a new key; the parser has checked the name and the roles (a bad one exits 2 before this runs).</summary>
    private static async Task<int> RunAsync(ParseResult parse, string name, string[] roles)
    {
        var output = parse.InvocationConfiguration.Output;

        var key = ApiKeyGenerator.New("sck_");
        var hash = ApiKeyGenerator.Sha256Hex(key);
        var roleList = roles.Distinct(StringComparer.Ordinal).ToArray();
        await output.WriteLineAsync($"""
            key:    {key}
            sha256: {hash}

            appsettings.json, in SafetyCheck:Authentication:ApiKeys:
              {"{"} "Name": "{name}", "Sha256": "{hash}", "Roles": [ {string.Join(", ", roleList.Select(r => $"\"{r}\""))} ] {"}"}

            environment variables (N: the entry's index among the API keys):
              SafetyCheck__Authentication__ApiKeys__N__Name={name}
              SafetyCheck__Authentication__ApiKeys__N__Sha256={hash}
            {string.Join("\n", roleList.Select((r, i) => $"  SafetyCheck__Authentication__ApiKeys__N__Roles__{i}={r}"))}
            """).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
