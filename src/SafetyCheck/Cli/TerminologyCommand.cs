using System.Globalization;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Terminology;
using SafetyCheck.RuleSets;
using SafetyCheck.Terminology;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>terminology expand --server URL [--rules DIR]</c>: regenerates the frozen SNOMED CT expansions under
/// <c>terminology/snomed/</c> from a FHIR R4 terminology server, one file per concept a catalog row names.
/// </summary>
internal static class TerminologyCommand
{
    private const int DefaultTimeoutSeconds = 60;
    private const int DefaultPageSize = 1000;
    private const int MaxPageSize = 10_000;

    public static Command Create()
    {
        var expand = CreateExpand();
        return new Command("terminology", """
            Maintains the terminology the condition catalog relies on (rules/terminology/): the frozen SNOMED CT
            expansions that let a row's concept cover its subtypes. See rules/terminology/README.md.
            """)
        {
            expand,
        };
    }

    private static Command CreateExpand()
    {
        var rules = CliOptions.Rules();
        var server = new Option<string?>("--server")
        {
            Description = "The FHIR R4 terminology server's base URL (http or https), e.g. https://tx.example.org/fhir.",
            HelpName = "URL",
        };
        var concepts = new Option<string[]>("--concept")
        {
            Description = "Expand only this concept (a SNOMED CT id a catalog row names). Repeat for several. Default: every one.",
            HelpName = "ID",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = $"Seconds to wait for each answer of the server (default {DefaultTimeoutSeconds}).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => DefaultTimeoutSeconds,
            CustomParser = result => WholeNumber(result, "--timeout", "a whole number of seconds, from 1 to 3600"),
        };
        var pageSize = new Option<int>("--page-size")
        {
            Description = $"Codes to ask for per page (count), 1 to {MaxPageSize} (default {DefaultPageSize}).",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultPageSize,
            CustomParser = result => WholeNumber(result, "--page-size", string.Create(CultureInfo.InvariantCulture, $"a whole number, from 1 to {MaxPageSize}")),
        };
        var verbose = CliOptions.Verbose();
        var command = new Command("expand", """
            Regenerates the SNOMED CT expansions under terminology/snomed/ from a FHIR R4 terminology server (for
            sites that hold a SNOMED CT licence): for each SNOMED CT concept a row of conditions.json names, asks
            GET {URL}/ValueSet/$expand?url=http://snomed.info/sct?fhir_vs=ecl/<<ID&count=N&offset=M
            page by page, and writes terminology/snomed/<ID>.json with the active descendants and their display,
            and the provenance: the request, the SNOMED CT version the server reports, and today's date. A concept
            without descendants gets no file (an existing file of it is rewritten empty). Nothing is written unless
            every expansion succeeds. Review the result with 'safetycheck check' (and git diff) before committing.
            Prints one summary line; with --verbose, also a line per concept on stderr as it is expanded.

            Example:
              safetycheck terminology expand --server https://tx.example.org/fhir --rules rules

            Exit codes: 0 written; 1 cannot run (the catalog does not load, the server cannot be reached, times out
            or answers something unusable, a file cannot be written); 2 a bad argument.
            """)
        {
            server,
            rules,
            concepts,
            timeout,
            pageSize,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse,
            new ExpandArguments(parse.GetValue(server), parse.GetValue(rules), parse.GetValue(concepts) ?? [], parse.GetValue(timeout), parse.GetValue(pageSize), parse.GetValue(verbose)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ExpandArguments arguments, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (arguments.Problem() is { } problem)
        {
            return await BadCommandLine.RejectAsync(parse, problem).ConfigureAwait(false);
        }

        var directory = RulesDirectory.Resolve(arguments.Rules, SafetyCheckConfiguration.Build());
        var catalog = CatalogLoader.Load(Path.Combine(directory, RuleSetLoader.CatalogFileName), RuleSetLoader.CatalogFileName);
        if (!catalog.Succeeded)
        {
            RuleSetReport.WriteDiagnostics(error, directory, catalog.Diagnostics);
            return ExitCodes.CannotRun;
        }

        var named = catalog.Catalog.Conditions.SelectMany(c => c.Snomed).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var notNamed = arguments.Concepts.Where(c => !named.Contains(c, StringComparer.Ordinal)).ToList();
        if (notNamed.Count > 0)
        {
            return await BadCommandLine.RejectAsync(parse, $"--concept {string.Join(", ", notNamed)}: no row of conditions.json names it").ConfigureAwait(false);
        }

        var selected = arguments.Concepts.Length > 0 ? arguments.Concepts.Distinct(StringComparer.Ordinal).ToList() : named;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(arguments.TimeoutSeconds) };
        var client = new FhirExpansionClient(http, arguments.ServerUri!, arguments.PageSize);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var expansions = new List<ServerExpansion>();
        try
        {
            foreach (var concept in selected)
            {
                var expansion = await client.ExpandAsync(concept, cancellationToken).ConfigureAwait(false);
                expansions.Add(expansion);
                if (arguments.Verbose)
                {
                    await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"expanded {concept}: {expansion.Codes.Count} subtypes ({expansions.Count} of {selected.Count})")).ConfigureAwait(false);
                }
            }
        }
        catch (TerminologyServerException ex)
        {
            await error.WriteLineAsync($"cannot expand: {ex.Message}; nothing was written").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        return await WriteAsync(output, error, directory, arguments.ServerUri!, expansions, today, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> WriteAsync(
        TextWriter output, TextWriter error, string directory, Uri server, List<ServerExpansion> expansions, DateOnly today, CancellationToken cancellationToken)
    {
        int files = 0;
        int subtypes = 0;
        int leaves = 0;
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        var written = new List<(string Path, string Text)>();
        try
        {
            foreach (var expansion in expansions)
            {
                var path = Path.Combine(directory, SnomedExpansionWriter.PathOf(expansion.Concept));
                if (expansion.Codes.Count == 0)
                {
                    leaves++;
                    if (!File.Exists(path))
                    {
                        continue;
                    }
                }

                var version = expansion.Version.Length > 0 ? expansion.Version : "not stated by the server";
                versions.Add(version);
                var source = new ExpansionSource(
                    "server",
                    $"ValueSet/$expand of <<{expansion.Concept} on {server.AbsoluteUri}",
                    expansion.RequestUrl,
                    version,
                    today);
                var file = new SnomedExpansion(
                    SnomedExpansionWriter.PathOf(expansion.Concept),
                    expansion.Concept,
                    expansion.Display.Length > 0 ? expansion.Display : $"SNOMED CT {expansion.Concept}",
                    "",
                    [source],
                    [.. expansion.Codes.Select(c => new SnomedDescendant(c.Code, c.Display.Length > 0 ? c.Display : c.Code, source.Id))]);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                written.Add((path, SnomedExpansionWriter.Write(file)));
                files++;
                subtypes += expansion.Codes.Count;
            }

            // Every file is written beside its own first and only then renamed over it: a failure (a full disk)
            // leaves every expansion as it was.
            await FileReplacement.ReplaceAllAsync(written, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"cannot write the expansions: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"expanded {expansions.Count} concepts on {server.AbsoluteUri} (SNOMED CT {string.Join(", ", versions.DefaultIfEmpty("not stated by the server"))}): " +
            $"{files} files written in {RuleSetReport.DisplayPath(directory, TerminologyFiles.SnomedFolder)} with {subtypes} subtypes; " +
            $"{leaves} concepts have no subtypes. Review with 'safetycheck check' and git diff.")).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The verb's arguments, checked before anything is read or asked.</summary>
    /// <summary>The option's value as an int; otherwise an error naming the option and what it takes, instead of the parser's 'as expected type System.Int32'.</summary>
    private static int WholeNumber(System.CommandLine.Parsing.ArgumentResult result, string option, string expected)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{option}: '{text}' is not {expected}");
        return 0;
    }

    private sealed record ExpandArguments(string? Server, string? Rules, string[] Concepts, int TimeoutSeconds, int PageSize, bool Verbose)
    {
        public Uri? ServerUri => Uri.TryCreate(Server, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

        public string? Problem()
        {
            if (string.IsNullOrWhiteSpace(Server))
            {
                return "--server is required: the FHIR R4 terminology server's base URL, e.g. https://tx.example.org/fhir";
            }

            if (ServerUri is null || !string.IsNullOrEmpty(ServerUri.Query) || !string.IsNullOrEmpty(ServerUri.Fragment))
            {
                return $"--server '{Server}': not an http or https base URL (no query, no fragment)";
            }

            if (TimeoutSeconds is < 1 or > 3600)
            {
                return string.Create(CultureInfo.InvariantCulture, $"--timeout {TimeoutSeconds}: from 1 to 3600 seconds");
            }

            if (PageSize is < 1 or > MaxPageSize)
            {
                return string.Create(CultureInfo.InvariantCulture, $"--page-size {PageSize}: from 1 to {MaxPageSize}");
            }

            var invalid = Concepts.Where(c => !SnomedCtId.IsValidConceptId(c)).ToList();
            return invalid.Count > 0 ? $"--concept {string.Join(", ", invalid)}: not a valid SNOMED CT concept id" : null;
        }
    }
}
