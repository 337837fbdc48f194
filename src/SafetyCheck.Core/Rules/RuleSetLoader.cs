using System.Text;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Loads a rule directory strictly: <c>ruleset.json</c>, <c>conditions.json</c> and every other <c>*.json</c> that is
/// not a <c>*.cases.json</c>, recursively. Unknown fields, duplicate rule ids, missing or invalid properties,
/// expressions that do not compile or that reach outside the vocabulary are reported together as
/// <c>file:line:col: message</c>. A rule set with any diagnostic is never returned. On success the RulesEngine
/// instance for this revision is built, compiled and warmed.
/// </summary>
public static class RuleSetLoader
{
    /// <summary>The catalog's file name in a rule directory.</summary>
    public const string CatalogFileName = "conditions.json";

    /// <summary>Suffix of rule-case files, which are not part of the revision.</summary>
    public const string CasesSuffix = ".cases.json";

    /// <summary>Loads, vets, compiles and warms the rule set in <paramref name="directory"/>.</summary>
    public static RuleSetLoadResult Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var diagnostics = new List<Diagnostic>();
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
        {
            return Fail(new Diagnostic(directory, 0, 0, "rule directory not found"));
        }

        var files = System.IO.Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(root, path).Replace('\\', '/')))
            .Where(f => !f.Relative.EndsWith(CasesSuffix, StringComparison.Ordinal))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f => new RuleSetFile(f.Relative, File.ReadAllBytes(f.Path)))
            .ToList();

        var manifestFile = files.Find(f => f.Path == ManifestLoader.FileName);
        var catalogFile = files.Find(f => f.Path == CatalogFileName);
        if (manifestFile is null)
        {
            diagnostics.Add(new Diagnostic(ManifestLoader.FileName, 0, 0, "the rule directory has no ruleset.json (name, version, parameters)"));
        }

        if (catalogFile is null)
        {
            diagnostics.Add(new Diagnostic(CatalogFileName, 0, 0, "the rule directory has no conditions.json (the condition catalog)"));
        }

        var manifest = manifestFile is null ? null : ManifestLoader.Read(JsonSourceFile.Parse(manifestFile.Path, Text(manifestFile), diagnostics), diagnostics);
        ConditionCatalog? catalog = null;
        if (catalogFile is not null)
        {
            var catalogResult = CatalogLoader.Parse(Text(catalogFile), catalogFile.Path);
            diagnostics.AddRange(catalogResult.Diagnostics);
            catalog = catalogResult.Catalog;
        }

        var ruleFiles = files.Where(f => f.Path != ManifestLoader.FileName && f.Path != CatalogFileName).ToList();
        if (ruleFiles.Count == 0)
        {
            diagnostics.Add(new Diagnostic(directory, 0, 0, "the rule directory has no rule files"));
        }

        var rules = new List<LoadedRule>();
        var workflows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in ruleFiles)
        {
            var source = JsonSourceFile.Parse(file.Path, Text(file), diagnostics);
            var loaded = RuleFileLoader.Read(source, catalog, diagnostics);
            if (loaded.Count > 0 && !workflows.TryAdd(loaded[0].WorkflowName, file.Path))
            {
                diagnostics.Add(source.At(source.Root!, $"workflow name '{loaded[0].WorkflowName}' is already used by {workflows[loaded[0].WorkflowName]}"));
            }

            rules.AddRange(loaded);
        }

        CheckDuplicateIds(rules, diagnostics);
        if (manifest is not null)
        {
            VetExpressions(rules, manifest, catalog, diagnostics);
        }

        if (diagnostics.Count > 0 || manifest is null || catalog is null)
        {
            return new RuleSetLoadResult(null, Sorted(diagnostics));
        }

        var identity = new RulesetIdentity(manifest.Name, manifest.Version, RevisionHasher.Compute(files));
        var compiled = CompiledRules.Build(rules, manifest.Parameters, diagnostics);
        if (diagnostics.Count > 0 || compiled is null)
        {
            return new RuleSetLoadResult(null, Sorted(diagnostics));
        }

        var ruleSet = new RuleSet
        {
            Identity = identity,
            Description = manifest.Description,
            Parameters = manifest.Parameters,
            Catalog = catalog,
            Rules = rules.Select(r => r.Definition).ToArray(),
            Files = files,
            ReviewEvidence = manifest.ReviewEvidence,
            Directory = root,
            Compiled = compiled,
        };
        return new RuleSetLoadResult(ruleSet, []);
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

    private static void VetExpressions(List<LoadedRule> rules, RulesetManifest manifest, ConditionCatalog? catalog, List<Diagnostic> diagnostics)
    {
        var vetter = new ExpressionVetter(manifest.Parameters, catalog);
        foreach (var rule in rules)
        {
            var result = vetter.Vet(rule.Definition.Expression);
            foreach (var problem in result.Problems)
            {
                diagnostics.Add(rule.Source.At(rule.ExpressionToken, $"rule '{rule.Definition.RuleId}': {problem}"));
            }

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

    private static string Text(RuleSetFile file)
    {
        var text = Encoding.UTF8.GetString(file.Content);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    private static List<Diagnostic> Sorted(List<Diagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)];

    private static RuleSetLoadResult Fail(Diagnostic diagnostic) => new(null, [diagnostic]);
}
