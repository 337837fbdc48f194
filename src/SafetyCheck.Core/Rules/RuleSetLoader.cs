using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Loads a rule set strictly, from files held in memory (<see cref="Load(IEnumerable{RuleSetFile})"/>: what replay
/// and reload hand over) or from a directory (<see cref="Load(string)"/>, which reads the files and calls it).
/// The files: <c>ruleset.json</c>, <c>conditions.json</c>, the rule files (every other <c>*.json</c> outside
/// <c>terminology/</c>) and the terminology (<c>terminology/**/*.json</c> SNOMED CT expansions and
/// <c>terminology/icd10cm-fyYYYY.txt</c>). Unknown fields, duplicate rule ids, missing or invalid properties,
/// expressions that do not compile or that reach outside the vocabulary, malformed terminology files are reported
/// together as <c>file:line:col: message</c>, files named by their relative path. A rule set with any error is
/// never returned. On success this revision's rules are compiled (<see cref="CompiledRules"/>) and warmed.
/// </summary>
public static class RuleSetLoader
{
    /// <summary>The catalog's file name in a rule directory.</summary>
    public const string CatalogFileName = "conditions.json";

    /// <summary>Suffix of rule-case files, which are not part of the revision.</summary>
    public const string CasesSuffix = ".cases.json";

    /// <summary>
    /// Reads the rule directory <paramref name="directory"/> and loads its files; see <see cref="ReadFiles"/>. What
    /// stands in the way of reading it (a symbolic link to a folder inside it, a file that cannot be read, a limit of
    /// <see cref="RuleDirectoryReader"/>) is a load problem naming the path.
    /// </summary>
    /// <exception cref="IOException">The directory could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory could not be read.</exception>
    public static RuleSetLoadResult Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
        {
            return Fail(new Diagnostic(directory, 0, 0, "rule directory not found"));
        }

        IReadOnlyList<RuleSetFile> files;
        try
        {
            files = ReadFiles(root);
        }
        catch (RuleDirectoryUnreadableException ex)
        {
            return new RuleSetLoadResult(null, Sorted([.. ex.Problems]));
        }

        return Load(files, root);
    }

    /// <summary>
    /// Loads a rule set from its files held in memory, e.g. the archived files of a revision: every file given is
    /// part of the revision. Paths are relative, with forward slashes; diagnostics name files by them. The result's
    /// <see cref="RuleSet.Directory"/> is null.
    /// </summary>
    public static RuleSetLoadResult Load(IEnumerable<RuleSetFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Load(files, directory: null);
    }

    /// <summary>
    /// Loads an archived revision from its files, as <see cref="Load(IEnumerable{RuleSetFile})"/> does but without the
    /// bounds this build puts on the parameters C# reads as well as the expressions (a whole number of months or weeks
    /// within a range): those bounds are for serving, where facts are derived from them; a replay evaluates the facts
    /// recorded with the decision, and the revision loaded on the build that served it.
    /// </summary>
    public static RuleSetLoadResult LoadArchived(IEnumerable<RuleSetFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Load(files, directory: null, engineBounds: false);
    }

    /// <summary>
    /// The files of the rule directory <paramref name="directory"/> that make up a revision, ordinal by relative
    /// path: every <c>*.json</c> but the <c>*.cases.json</c> and the JSON Schemas under <c>schemas/</c>, recursively,
    /// and the <c>*.txt</c> under <c>terminology/</c>. Documentation (<c>*.md</c>) is not part of a revision. Real
    /// folders only, within bounds: see <see cref="RuleDirectoryReader"/>.
    /// </summary>
    /// <exception cref="RuleDirectoryUnreadableException">
    /// A symbolic link to a folder inside the directory, a folder or file that could not be read, a limit passed: every
    /// problem named by its relative path.
    /// </exception>
    /// <exception cref="IOException">The directory could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory could not be read.</exception>
    public static IReadOnlyList<RuleSetFile> ReadFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return RuleDirectoryReader.Read(directory, IsRevisionFile);
    }

    /// <summary>
    /// True for a file that is part of a revision: not a case file, not one of the editors' JSON Schemas under
    /// <c>schemas/</c> (they describe the files and decide nothing).
    /// </summary>
    private static bool IsRevisionFile(string relative) =>
        TerminologyFiles.IsTerminology(relative)
            ? TerminologyFiles.IsRevisionFile(relative)
            : relative.EndsWith(".json", StringComparison.Ordinal) && !relative.EndsWith(CasesSuffix, StringComparison.Ordinal)
                && !SchemaReference.IsSchema(relative);

    private static RuleSetLoadResult Load(IEnumerable<RuleSetFile> given, string? directory, bool engineBounds = true)
    {
        var diagnostics = new List<Diagnostic>();
        var files = CheckPaths(given, diagnostics);
        var notUtf8 = files.Select(f => RuleFileText.NotUtf8(f.Path, f.Content)).OfType<Diagnostic>().ToList();
        if (notUtf8.Count > 0)
        {
            // A file read with its bad bytes replaced would not say what its author wrote: nothing more is read.
            return new RuleSetLoadResult(null, Sorted([.. diagnostics, .. notUtf8]));
        }

        var manifestFile = files.Find(f => f.Path == ManifestLoader.FileName);
        var catalogFile = files.Find(f => f.Path == CatalogFileName);
        if (manifestFile is null)
        {
            diagnostics.Add(new Diagnostic(ManifestLoader.FileName, 0, 0, "the rule set has no ruleset.json (name, version, parameters)"));
        }

        if (catalogFile is null)
        {
            diagnostics.Add(new Diagnostic(CatalogFileName, 0, 0, "the rule set has no conditions.json (the condition catalog)"));
        }

        var manifest = manifestFile is null ? null : ManifestLoader.Read(JsonSourceFile.Parse(manifestFile.Path, Text(manifestFile), diagnostics), diagnostics, engineBounds);
        var terminology = TerminologyLoader.Load(
            files.Where(f => TerminologyFiles.IsTerminology(f.Path)).Select(f => (f.Path, Text(f))),
            diagnostics);
        ConditionCatalog? catalog = null;
        if (catalogFile is not null)
        {
            var catalogResult = CatalogLoader.Parse(Text(catalogFile), catalogFile.Path);
            diagnostics.AddRange(catalogResult.Diagnostics);
            catalog = terminology is null ? catalogResult.Catalog : catalogResult.Catalog?.WithTerminology(terminology);
        }

        var ruleFiles = files
            .Where(f => f.Path != ManifestLoader.FileName && f.Path != CatalogFileName && !TerminologyFiles.IsTerminology(f.Path))
            .ToList();
        if (ruleFiles.Count == 0)
        {
            diagnostics.Add(new Diagnostic(directory ?? ".", 0, 0, "the rule set has no rule files"));
        }

        var rules = new List<LoadedRule>();
        var unloaded = new List<UnloadedRule>();
        var workflows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in ruleFiles)
        {
            var source = JsonSourceFile.Parse(file.Path, Text(file), diagnostics);
            var loaded = RuleFileLoader.Read(source, catalog, diagnostics, unloaded);
            if (loaded.Count > 0 && !workflows.TryAdd(loaded[0].WorkflowName, file.Path))
            {
                diagnostics.Add(source.At(source.Root!, $"workflow name '{loaded[0].WorkflowName}' is already used by {workflows[loaded[0].WorkflowName]}"));
            }

            rules.AddRange(loaded);
        }

        CheckDuplicateIds(rules, diagnostics);
        if (manifest is not null)
        {
            var vetter = new ExpressionVetter(manifest.Parameters, catalog);
            VetExpressions(rules, vetter, diagnostics);
            VetExpressions(unloaded, vetter, diagnostics);
        }

        if (diagnostics.Count > 0 || manifest is null || catalog is null || terminology is null)
        {
            return new RuleSetLoadResult(null, Sorted(diagnostics));
        }

        var identity = new RulesetIdentity(manifest.Name, manifest.Version, RevisionHasher.Compute(files));
        var compiled = CompiledRules.Build(rules, manifest.Parameters, catalog, diagnostics);
        if (diagnostics.Count > 0 || compiled is null)
        {
            return new RuleSetLoadResult(null, Sorted(diagnostics));
        }

        // SNOMED CT ties between rows go to the row whose rules can give the more restrictive outcome.
        catalog = catalog.WithRuleOutcomes(rules
            .SelectMany(r => r.Definition.ConditionIds, (r, id) => (Id: id, Outcome: r.Definition.Outcome))
            .GroupBy(x => x.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(x => x.Outcome), StringComparer.Ordinal));
        var ruleSet = new RuleSet
        {
            Identity = identity,
            Description = manifest.Description,
            Parameters = manifest.Parameters,
            Catalog = catalog,
            Rules = rules.Select(r => r.Definition).ToArray(),
            Files = files,
            ReviewEvidence = manifest.ReviewEvidence,
            Directory = directory,
            Policy = manifest.Policy,
            Compiled = compiled,
        };
        return new RuleSetLoadResult(ruleSet, []);
    }

    /// <summary>
    /// The files in ordinal path order; reports paths that are not relative with forward slashes, that appear
    /// twice, or that no part of a rule set has (case files, anything but JSON outside <c>terminology/</c>).
    /// </summary>
    private static List<RuleSetFile> CheckPaths(IEnumerable<RuleSetFile> given, List<Diagnostic> diagnostics)
    {
        var files = new List<RuleSetFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in given.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var path = file.Path;
            var segments = path.Split('/');
            if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal)
                || segments.Any(s => s.Length == 0 || s == "." || s == ".."))
            {
                diagnostics.Add(new Diagnostic(path, 0, 0, "a rule-set file needs a relative path with forward slashes inside the rule set"));
            }
            else if (!seen.Add(path))
            {
                diagnostics.Add(new Diagnostic(path, 0, 0, "the file is given twice"));
            }
            else if (path.EndsWith(CasesSuffix, StringComparison.Ordinal))
            {
                diagnostics.Add(new Diagnostic(path, 0, 0, "case files are not part of a rule revision; the rule suite reads them from the rule directory"));
            }
            else if (!IsRevisionFile(path))
            {
                diagnostics.Add(new Diagnostic(path, 0, 0, "not a rule-set file: rule files, ruleset.json and conditions.json are JSON; terminology lives under terminology/; the JSON Schemas under schemas/ are not part of a revision"));
            }
            else
            {
                files.Add(file);
            }
        }

        return files;
    }

    private static void CheckDuplicateIds(List<LoadedRule> rules, List<Diagnostic> diagnostics)
    {
        var first = new Dictionary<string, LoadedRule>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (first.TryGetValue(rule.Definition.RuleId, out var original))
            {
                diagnostics.Add(rule.Source.At(rule.NameToken, $"duplicate rule id '{rule.Definition.RuleId}' (first defined at {original.Definition.File}:{original.Definition.Line})"));
            }
            else
            {
                first.Add(rule.Definition.RuleId, rule);
            }
        }
    }

    /// <summary>The expression problems of rules that did not load, so that a rule's errors are all reported at once.</summary>
    private static void VetExpressions(List<UnloadedRule> rules, ExpressionVetter vetter, List<Diagnostic> diagnostics)
    {
        foreach (var rule in rules)
        {
            AddProblems(rule.RuleId, rule.Source, rule.ExpressionToken, vetter.Vet(rule.Expression).Problems, diagnostics);
        }
    }

    private static void AddProblems(string ruleId, JsonSourceFile source, JToken expressionToken, IEnumerable<string> problems, List<Diagnostic> diagnostics)
    {
        foreach (var problem in problems)
        {
            // A parse error names the character of the expression it stopped at: point there, inside the string.
            var message = $"rule '{ruleId}': {problem}";
            diagnostics.Add(ExpressionErrorPosition.TryGetIndex(problem, out var index)
                ? source.AtCharacter(expressionToken, index, message)
                : source.At(expressionToken, message));
        }
    }

    private static void VetExpressions(List<LoadedRule> rules, ExpressionVetter vetter, List<Diagnostic> diagnostics)
    {
        foreach (var rule in rules)
        {
            var result = vetter.Vet(rule.Definition.Expression);
            AddProblems(rule.Definition.RuleId, rule.Source, rule.ExpressionToken, result.Problems, diagnostics);

            if (result.Problems.Count > 0)
            {
                continue;
            }

            rule.Definition = rule.Definition with { FactNames = [.. result.FactNames.Order(StringComparer.Ordinal)] };

            // triggered_by and site precautions rely on the declaration, so it must match what the expression tests.
            var declared = rule.Definition.ConditionIds.ToHashSet(StringComparer.Ordinal);
            var undeclared = result.ConditionIds.Where(id => !declared.Contains(id)).Order(StringComparer.Ordinal).ToList();
            var untested = declared.Where(id => !result.ConditionIds.Contains(id)).Order(StringComparer.Ordinal).ToList();
            if (undeclared.Count > 0)
            {
                diagnostics.Add(rule.Source.At(rule.ConditionsToken ?? rule.ExpressionToken, $"rule '{rule.Definition.RuleId}': the expression tests {Quote(undeclared)} but 'conditions' does not list {(undeclared.Count == 1 ? "it" : "them")}"));
            }

            if (untested.Count > 0)
            {
                diagnostics.Add(rule.Source.At(rule.ConditionsToken ?? rule.ExpressionToken, $"rule '{rule.Definition.RuleId}': 'conditions' lists {Quote(untested)} but the expression never tests {(untested.Count == 1 ? "it" : "them")}"));
            }

            if (rule.Definition.AvoidConditionSite && declared.Count == 0)
            {
                diagnostics.Add(rule.Source.At(rule.NameToken, $"rule '{rule.Definition.RuleId}': 'avoidConditionSite' needs the conditions whose body site to avoid"));
            }
        }
    }

    private static string Quote(IEnumerable<string> ids) => string.Join(", ", ids.Select(id => $"'{id}'"));

    /// <summary>
    /// The text every reader parses: the bytes the revision hashes, line endings normalised as
    /// <see cref="RevisionHasher"/> does, so that files with one revision read alike (a lone CR is a line break for
    /// every reader, as for the hash, and cannot hide a line of a line-based file behind a comment).
    /// </summary>
    private static string Text(RuleSetFile file) => RuleFileText.Decode(RevisionHasher.NormaliseLineEndings(file.Content));

    private static List<Diagnostic> Sorted(List<Diagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)];

    private static RuleSetLoadResult Fail(Diagnostic diagnostic) => new(null, [diagnostic]);
}
