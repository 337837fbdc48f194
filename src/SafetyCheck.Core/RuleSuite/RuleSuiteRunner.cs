using System.Globalization;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.RuleSuite;

/// <summary>
/// Runs the <c>*.cases.json</c> files beside the rule files through the same checker the service uses, and reports
/// per-case results and per-rule coverage (how many cases fired each rule). A case in which any rule errored fails,
/// naming the rule and its error, and the error does not count as the rule firing. A case file looks like
/// <c>{"cases": [{"name", "asOf", "request", "expect": {"suitability", "rules", "notRules", "avoidAreas", "maxPressure"}, "todo"}]}</c>.
/// </summary>
public sealed class RuleSuiteRunner(IRequestJsonReader reader)
{
    /// <summary>
    /// Runs the cases of <paramref name="ruleSet"/>'s directory: every case, or those <paramref name="filter"/>
    /// selects. Every case file is read and checked either way.
    /// </summary>
    /// <exception cref="ArgumentException">The rule set was loaded from memory, so it has no directory to read cases from.</exception>
    /// <exception cref="IOException">A case file could not be read.</exception>
    public RuleSuiteReport Run(RuleSet ruleSet, CaseFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var directory = ruleSet.Directory ?? throw new ArgumentException("The rule set was loaded from memory; give its case files (Run(ruleSet, caseFiles)).", nameof(ruleSet));
        return Run(ruleSet, ReadCaseFiles(directory), filter);
    }

    /// <summary>
    /// Runs the cases in <paramref name="caseFiles"/> (held in memory, paths relative to the rule directory with
    /// forward slashes) on <paramref name="ruleSet"/>: how a candidate revision read from a snapshot of the rule
    /// directory is vetted before it serves, with the cases of the same snapshot.
    /// </summary>
    public RuleSuiteReport Run(RuleSet ruleSet, IReadOnlyList<RuleSetFile> caseFiles, CaseFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(caseFiles);
        var checker = new SafetyChecker(ruleSet, TimeProvider.System);
        var known = ruleSet.Rules.Select(r => r.RuleId)
            .Append(OutcomeCombiner.UnrecognizedActiveRuleId).Append(OutcomeCombiner.UnrecognizedResolvedRuleId)
            .ToHashSet(StringComparer.Ordinal);
        var coverage = ruleSet.Rules.ToDictionary(r => r.RuleId, _ => 0, StringComparer.Ordinal);
        var diagnostics = new List<Diagnostic>();
        var results = new List<CaseResult>();
        foreach (var (path, name, line, testCase) in ReadAll(caseFiles, known, diagnostics))
        {
            if (filter is not null && !filter.Matches(path, name, testCase.Expect.Rules.Concat(testCase.Expect.NotRules)))
            {
                continue;
            }

            var result = RunCase(checker, path, name, line, testCase);
            results.Add(result.Result);
            foreach (var id in result.Fired.Where(coverage.ContainsKey))
            {
                coverage[id]++;
            }
        }

        return new RuleSuiteReport(results, coverage, diagnostics) { Filter = filter };
    }

    /// <summary>
    /// Reads <paramref name="caseFiles"/> as <see cref="Run(RuleSet, IReadOnlyList{RuleSetFile}, CaseFilter?)"/> does
    /// but without a rule set and without running anything: the problems of the files themselves (not UTF-8, syntax,
    /// members, <c>asOf</c>, requests that are not CheckRequests). The rule ids that expectations name are not checked.
    /// <c>check</c> reports these beside a rule set's load errors, so that one run shows every problem.
    /// </summary>
    public IReadOnlyList<Diagnostic> ReadOnly(IReadOnlyList<RuleSetFile> caseFiles)
    {
        ArgumentNullException.ThrowIfNull(caseFiles);
        var diagnostics = new List<Diagnostic>();
        foreach (var _ in ReadAll(caseFiles, null, diagnostics))
        {
        }

        return diagnostics;
    }

    /// <summary>The full paths of the case files under <paramref name="directory"/>, in ordinal path order; real folders only.</summary>
    /// <exception cref="RuleDirectoryUnreadableException">A symbolic link to a folder inside the directory, a folder that could not be listed, too many entries.</exception>
    public static IReadOnlyList<string> CaseFiles(string directory)
    {
        var listing = RuleDirectoryReader.List(directory);
        return listing.Problems.Count > 0
            ? throw new RuleDirectoryUnreadableException(listing.Problems)
            : [.. listing.Files.Where(f => f.Path.EndsWith(RuleSetLoader.CasesSuffix, StringComparison.Ordinal)).Select(f => f.Info.FullName).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The case files under <paramref name="directory"/>, read into memory, paths relative with forward slashes,
    /// ordinal. Real folders only, within bounds: see <see cref="RuleDirectoryReader"/>.
    /// </summary>
    /// <exception cref="RuleDirectoryUnreadableException">
    /// A symbolic link to a folder inside the directory, a folder or file that could not be read, a limit passed.
    /// </exception>
    /// <exception cref="IOException">The directory could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory could not be read.</exception>
    public static IReadOnlyList<RuleSetFile> ReadCaseFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return RuleDirectoryReader.Read(directory, relative => relative.EndsWith(RuleSetLoader.CasesSuffix, StringComparison.Ordinal));
    }

    private IEnumerable<(string Path, string Name, int Line, ParsedCase Case)> ReadAll(IReadOnlyList<RuleSetFile> caseFiles, HashSet<string>? known, List<Diagnostic> diagnostics)
    {
        foreach (var file in caseFiles.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (RuleFileText.NotUtf8(file.Path, file.Content) is { } notText)
            {
                diagnostics.Add(notText);
                continue;
            }

            var source = JsonSourceFile.Parse(file.Path, RuleFileText.Decode(file.Content), diagnostics);
            foreach (var (name, line, testCase) in ReadCases(source, known, diagnostics))
            {
                yield return (file.Path, name, line, testCase);
            }
        }
    }

    private IEnumerable<(string Name, int Line, ParsedCase Case)> ReadCases(JsonSourceFile source, HashSet<string>? known, List<Diagnostic> diagnostics)
    {
        if (source.Root is not JObject root)
        {
            if (source.Root is not null)
            {
                diagnostics.Add(source.At(source.Root, "a cases file is an object: {\"cases\": [...]}"));
            }

            yield break;
        }

        var file = new StrictObject(source, root, "the cases file", diagnostics);
        file.AllowOnlyAtTop("cases");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in file.OptionalArray("cases") ?? [])
        {
            if (item is not JObject caseObject)
            {
                diagnostics.Add(source.At(item, "each case is an object with name, asOf, request and expect"));
                continue;
            }

            var before = diagnostics.Count;
            var c = file.Nested(caseObject, "a case");
            c.AllowOnly("name", "asOf", "request", "expect", "todo");
            var name = c.RequiredString("name");
            if (name is not null && !names.Add(name))
            {
                c.Report(caseObject["name"]!, $"case name '{name}' is used twice in this file");
            }

            var asOfText = c.RequiredString("asOf");
            DateTimeOffset asOf = default;
            if (asOfText is not null && !Rfc3339Time.TryParse(asOfText, out asOf))
            {
                c.Report(caseObject["asOf"]!, $"'asOf' must be an RFC 3339 time such as 2026-03-02T10:00:00Z, not \"{asOfText}\"");
            }

            var request = c.RequiredObject("request");
            var todo = c.OptionalString("todo");
            var expect = c.RequiredObject("expect");
            ParsedExpectation? expectation = expect is null ? null : ReadExpectation(c.Nested(expect, $"the expectations of case '{name}'"), known);
            if (diagnostics.Count > before || name is null || request is null || expectation is null)
            {
                continue;
            }

            // A request that cannot be read is the case file's error, like a misspelt expectation: `check` reports it
            // where it is written, and the case is not run.
            UnvalidatedRequest read;
            try
            {
                read = reader.Read(request.ToString(Newtonsoft.Json.Formatting.None));
            }
            catch (FormatException ex)
            {
                var at = ex is RequestJsonException { Field: { } field } ? Locate(request, field) : request;
                diagnostics.Add(source.At(at, $"the request of case '{name}' is not a CheckRequest: {ex.Message}"));
                continue;
            }

            yield return (name, source.StartOf(caseObject).Line, new ParsedCase(asOf, read, expectation, todo));
        }
    }

    private static ParsedExpectation? ReadExpectation(StrictObject e, HashSet<string>? known)
    {
        e.AllowOnly("suitability", "rules", "notRules", "avoidAreas", "maxPressure");
        var before = e.Diagnostics.Count;
        var suitabilityText = e.RequiredString("suitability");
        var suitability = Suitability.Unspecified;
        if (suitabilityText is not null && !EnumNames.TryParse(suitabilityText, out suitability))
        {
            e.Report(e.Json["suitability"]!, $"'suitability' must be one of {string.Join(", ", EnumNames.All<Suitability>())}");
        }

        var rules = RuleIds(e, "rules", known);
        var notRules = RuleIds(e, "notRules", known);
        IReadOnlySet<BodyArea>? areas = null;
        if (e.Json["avoidAreas"] is not null)
        {
            var set = new HashSet<BodyArea>();
            foreach (var (value, token) in e.OptionalStrings("avoidAreas"))
            {
                if (EnumNames.TryParse<BodyArea>(value, out var area))
                {
                    set.Add(area);
                }
                else
                {
                    e.Report(token, $"'{value}' is not a body area");
                }
            }

            areas = set;
        }

        Pressure? maxPressure = null;
        if (e.OptionalString("maxPressure") is { } pressureText)
        {
            if (pressureText == "UNSPECIFIED")
            {
                maxPressure = Pressure.Unspecified;
            }
            else if (EnumNames.TryParse<Pressure>(pressureText, out var pressure))
            {
                maxPressure = pressure;
            }
            else
            {
                e.Report(e.Json["maxPressure"]!, "'maxPressure' must be LIGHT, MODERATE, FIRM or UNSPECIFIED (no limit)");
            }
        }

        return e.Diagnostics.Count > before ? null : new ParsedExpectation(suitability, rules, notRules, areas, maxPressure);
    }

    private static List<string> RuleIds(StrictObject e, string name, HashSet<string>? known)
    {
        var ids = new List<string>();
        foreach (var (value, token) in e.OptionalStrings(name))
        {
            if (known is not null && !known.Contains(value))
            {
                e.Report(token, $"'{value}' is not a rule id of this rule set");
            }

            ids.Add(value);
        }

        return ids;
    }

    private static (CaseResult Result, IReadOnlyCollection<string> Fired) RunCase(SafetyChecker checker, string file, string name, int line, ParsedCase testCase)
    {
        var failures = new List<string>();
        IReadOnlyCollection<string> fired = [];
        List<string> ruleErrors = [];
        var outcome = checker.Check(WithAsOf(testCase.Request, testCase.AsOf));
        if (!outcome.IsValid)
        {
            failures.Add("the request is invalid: " + string.Join("; ", outcome.Violations.Select(v => $"{v.Field}: {v.Description}")));
        }
        else
        {
            var assessment = outcome.Assessment;

            // A rule that errored fails closed at request time: the engine adds a review precaution under the rule's
            // own id. That precaution is not the rule firing: it neither meets an expectation nor covers the rule, and
            // the error fails the case, so that a rule that cannot be evaluated never passes the suite (or a reload).
            var errors = assessment.Trace.Where(t => t.Errored).ToList();
            ruleErrors = [.. errors.Select(t => $"rule '{t.RuleId}' could not be evaluated: {ErrorMessage(t)}")];
            failures.AddRange(ruleErrors);
            var firedSet = assessment.Precautions.Select(p => p.RuleId).Concat(assessment.Benefits.Select(b => b.RuleId)).ToHashSet(StringComparer.Ordinal);
            firedSet.ExceptWith(errors.Select(t => t.RuleId));
            fired = firedSet;
            Compare(testCase.Expect, assessment, firedSet, failures);
        }

        // A todo case excuses an expectation the rules do not meet yet, not a rule that cannot be evaluated.
        var result = new CaseResult(file, name, line, failures.Count == 0, testCase.Todo is not null && ruleErrors.Count == 0, failures)
        {
            RuleErrors = ruleErrors,
            Fired = [.. fired.Order(StringComparer.Ordinal)],
            ExpectedRules = testCase.Expect.Rules,
            ExpectedNotRules = testCase.Expect.NotRules,
            TodoReason = testCase.Todo,
        };
        return (result, fired);
    }

    private static void Compare(ParsedExpectation expect, Assessment assessment, HashSet<string> fired, List<string> failures)
    {
        if (assessment.Suitability != expect.Suitability)
        {
            failures.Add($"verdict {EnumNames.Of(assessment.Suitability)}, expected {EnumNames.Of(expect.Suitability)} (fired: {string.Join(", ", fired.Order(StringComparer.Ordinal))})");
        }

        foreach (var id in expect.Rules.Where(id => !fired.Contains(id)))
        {
            failures.Add($"rule '{id}' did not fire{ErrorOf(assessment, id)}");
        }

        foreach (var id in expect.NotRules.Where(fired.Contains))
        {
            failures.Add($"rule '{id}' fired but must not");
        }

        if (expect.AvoidAreas is { } areas)
        {
            var actual = assessment.Precautions.SelectMany(p => p.AvoidAreas).ToHashSet();
            if (!actual.SetEquals(areas))
            {
                failures.Add($"avoid areas [{string.Join(", ", actual.Order().Select(EnumNames.Of))}], expected [{string.Join(", ", areas.Order().Select(EnumNames.Of))}]");
            }
        }

        if (expect.MaxPressure is { } pressure)
        {
            var limits = assessment.Precautions.Select(p => p.MaxPressure).Where(p => p != Pressure.Unspecified).ToList();
            var actual = limits.Count == 0 ? Pressure.Unspecified : limits.Min();
            if (actual != pressure)
            {
                failures.Add($"pressure limit {EnumNames.Of(actual)}, expected {EnumNames.Of(pressure)}");
            }
        }
    }

    private static string ErrorOf(Assessment assessment, string id) =>
        assessment.Trace.FirstOrDefault(t => t.RuleId == id)?.Errored == true ? " (it could not be evaluated)" : "";

    /// <summary>
    /// The error of an errored rule without the engine's prefix naming the rule again
    /// (<c>Error while executing rule : id - </c>), which the failure already names.
    /// </summary>
    private static string ErrorMessage(RuleOutcome outcome)
    {
        var prefix = $"Error while executing rule : {outcome.RuleId} - ";
        var error = outcome.Error!;
        return error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error;
    }

    /// <summary>
    /// The token of <paramref name="request"/> at <paramref name="field"/> (<c>conditions[1].status</c>: proto field
    /// names or their JSON names, list indexes), or the deepest one found on the way.
    /// </summary>
    private static JToken Locate(JObject request, string field)
    {
        JToken at = request;
        foreach (var segment in field.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            var member = at is JObject o ? o.Properties().FirstOrDefault(p => p.Name == name || p.Name == JsonName(name)) : null;
            if (member is null)
            {
                return at;
            }

            at = member.Value;
            foreach (var index in IndexesIn(segment, bracket))
            {
                if (at is not JArray list || index >= list.Count)
                {
                    return at;
                }

                at = list[index];
            }
        }

        return at;
    }

    private static IEnumerable<int> IndexesIn(string segment, int bracket)
    {
        while (bracket >= 0)
        {
            var close = segment.IndexOf(']', bracket);
            if (close < 0 || !int.TryParse(segment.AsSpan(bracket + 1, close - bracket - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                yield break;
            }

            yield return index;
            bracket = segment.IndexOf('[', close);
        }
    }

    /// <summary>A proto field name's JSON name (<c>birth_date</c> → <c>birthDate</c>).</summary>
    private static string JsonName(string protoName)
    {
        var parts = protoName.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static UnvalidatedRequest WithAsOf(UnvalidatedRequest request, DateTimeOffset asOf)
    {
        var session = request.Session ?? new UnvalidatedSession();
        if (session.ScheduledAtSeconds is not null)
        {
            return request;
        }

        return request with { Session = session with { ScheduledAtSeconds = asOf.ToUnixTimeSeconds(), ScheduledAtNanos = 0 } };
    }

    private sealed record ParsedCase(DateTimeOffset AsOf, UnvalidatedRequest Request, ParsedExpectation Expect, string? Todo);

    private sealed record ParsedExpectation(
        Suitability Suitability,
        IReadOnlyList<string> Rules,
        IReadOnlyList<string> NotRules,
        IReadOnlySet<BodyArea>? AvoidAreas,
        Pressure? MaxPressure);
}
