using SafetyCheck.Core.Formatting;
using SafetyCheck.Core.Rules;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>fmt [--check] [--rules DIR]</c>: rewrites the JSON files of a rule directory in their one canonical layout
/// (see <see cref="RuleFileFormatter"/>), or with <c>--check</c> only lists the files that are not in it.
/// </summary>
internal static class FmtCommand
{
    public static Command Create()
    {
        var rules = CliOptions.Rules();
        var check = new Option<bool>("--check")
        {
            Description = "Change nothing: list the files that are not in the canonical layout and exit 1 if there are any.",
        };
        var command = new Command("fmt", $"""
            Writes the JSON files of a rule directory in one canonical layout, so that a diff shows what changed
            in meaning and nothing else: rule files, *.cases.json, ruleset.json, conditions.json and the SNOMED CT
            expansions under terminology/. Members in the order the file's JSON Schema (schemas/*.schema.json)
            documents, 2-space indent, one member per line, arrays of short values on one line when they fit in
            {RuleFileFormatter.LineWidth} columns and filled line by line when they do not; in conditions.json and the
            expansions, an object of plain values inside a list (an ICD-10-CM pattern, a descendant) on one line;
            LF line ends and a final newline. Formatting never changes what a file says: each result is read back and
            compared with the original before anything is written. A file that is not well-formed JSON, gives a
            member twice or holds comments is left alone and reported.
            Prints each file it rewrote (or, with --check, each file that differs), then a summary on stderr.

            Examples:
              safetycheck fmt                      # rewrite rules/ in place
              safetycheck fmt --check --rules rules  # in CI: fail when a file is not formatted

            Exit codes: 0 every file is (now) in the canonical layout; 1 with --check, files differ (listed on
            stdout); 2 a file cannot be formatted (file:line:col: error: message on stderr), the rule directory
            cannot be read, or a bad argument.
            """)
        {
            rules,
            check,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, parse.GetValue(rules), parse.GetValue(check), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string? rulesFlag, bool checkOnly, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var directory = RulesDirectory.Resolve(rulesFlag, SafetyCheckConfiguration.Build());
        if (!Directory.Exists(directory))
        {
            await error.WriteLineAsync($"{directory}: rule directory not found").ConfigureAwait(false);
            return 2;
        }

        var problems = new List<Diagnostic>();
        var differ = new List<string>();
        int files = 0;
        try
        {
            // Real folders only: a symbolic link to a folder is reported, not followed (it could lead anywhere, and fmt writes).
            var listing = RuleDirectoryReader.List(directory);
            problems.AddRange(listing.Problems);
            foreach (var (full, relative) in Files(listing))
            {
                files++;
                var bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
                if (RuleFileText.NotUtf8(relative, bytes) is { } notText)
                {
                    problems.Add(notText);
                    continue;
                }

                var original = RuleFileText.Decode(bytes);
                var result = RuleFileFormatter.Format(relative, original);
                if (!result.Succeeded)
                {
                    problems.AddRange(result.Diagnostics);
                    continue;
                }

                if (string.Equals(result.Text, original, StringComparison.Ordinal))
                {
                    continue;
                }

                differ.Add(relative);
                if (!checkOnly)
                {
                    try
                    {
                        // Written beside it and renamed over it: a failure (a full disk) leaves the file as it was.
                        await FileReplacement.ReplaceAsync(full, result.Text!, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        await error.WriteLineAsync($"{RuleSetReport.DisplayPath(directory, relative)}: cannot write the formatted file, so it is left as it was: {ex.Message}").ConfigureAwait(false);
                        return 2;
                    }
                }

                await output.WriteLineAsync(RuleSetReport.DisplayPath(directory, relative)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"cannot format the rule directory: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        foreach (var problem in problems)
        {
            await error.WriteLineAsync(RuleSetReport.Format(directory, problem)).ConfigureAwait(false);
        }

        var unformattable = problems.Select(p => p.File).Distinct(StringComparer.Ordinal).Count();
        await error.WriteLineAsync(checkOnly
            ? $"{differ.Count} of {files} files not in the canonical layout{(differ.Count > 0 ? ": run safetycheck fmt" : "")}{Unformattable(unformattable)}"
            : $"{differ.Count} of {files} files rewritten{Unformattable(unformattable)}").ConfigureAwait(false);
        return problems.Count > 0 ? 2 : checkOnly && differ.Count > 0 ? 1 : ExitCodes.Ok;
    }

    private static string Unformattable(int count) => count == 0 ? "" : $"; {count} cannot be formatted";

    /// <summary>The files fmt formats in <paramref name="listing"/>, ordinal by relative path; none when the walk stopped at its limit.</summary>
    private static IEnumerable<(string Full, string Relative)> Files(RuleDirectoryListing listing) =>
        listing.Truncated
            ? []
            : listing.Files
                .Where(f => f.Path.EndsWith(".json", StringComparison.Ordinal) && RuleFileFormatter.Formats(f.Path))
                .Select(f => (Full: f.Info.FullName, Relative: f.Path));
}
