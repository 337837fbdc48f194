using System.Text;
using Newtonsoft.Json;
using SafetyCheck.Core.Formatting;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Check;

namespace SafetyCheck.RuleSuite.Tests.Formatting;

/// <summary>fmt never changes meaning: the shipped rule set, formatted, loads to the same rules, parameters and catalog, and every case passes.</summary>
public sealed class FormattedRulesTests
{
    private static readonly Lazy<string> Formatted = new(FormatCopy);

    private static string FormatCopy()
    {
        var target = Path.Combine(Path.GetTempPath(), "safetycheck-fmt-tests", Path.GetRandomFileName());
        foreach (var file in Directory.EnumerateFiles(ShippedSuite.Directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(ShippedSuite.Directory, file).Replace('\\', '/');
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (RuleFileFormatter.Formats(relative))
            {
                var result = RuleFileFormatter.Format(relative, File.ReadAllText(file));
                Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
                File.WriteAllText(destination, result.Text, new UTF8Encoding(false));
            }
            else
            {
                File.Copy(file, destination);
            }
        }

        return target;
    }

    /// <summary>What decides: every rule's definition, the parameters, the catalog's conditions, the terminology and the review evidence.</summary>
    private static string Meaning(RuleSet ruleSet) => JsonConvert.SerializeObject(new
    {
        ruleSet.Identity.Name,
        ruleSet.Identity.Version,
        ruleSet.Description,
        Rules = ruleSet.Rules.Select(r => r with { Line = 0, Column = 0 }),
        ruleSet.Parameters,
        ruleSet.ReviewEvidence,
        Conditions = ruleSet.Catalog.Conditions.Select(c => new { c.Id, c.Display, c.KnownBenign, Icd10 = c.Icd10.Select(p => p.Text + "|" + p.Seventh + "|" + p.GestationalWeeks), Excludes = c.Icd10Exclude.Select(p => p.Text), c.Snomed, c.Overrides }),
        Expansions = ruleSet.Catalog.Terminology.SnomedExpansions.Select(e => new { e.Concept, e.Display, e.Note, e.Sources, Descendants = e.Descendants.Select(d => new { d.Code, d.Display, d.Source }) }),
        ruleSet.Catalog.SnomedDescendantCount,
    });

    [Fact]
    public void Format_ShippedRuleSet_LoadsToTheSameContent()
    {
        var original = RuleSetLoader.Load(ShippedSuite.Directory);
        var formatted = RuleSetLoader.Load(Formatted.Value);

        Assert.True(formatted.Succeeded, string.Join("\n", formatted.Diagnostics));
        Assert.Equal(Meaning(original.RuleSet!), Meaning(formatted.RuleSet));
    }

    [Fact]
    public void Format_ShippedRuleSet_EveryCaseStillPasses()
    {
        var formatted = RuleSetLoader.Load(Formatted.Value).RuleSet!;

        var report = new RuleSuiteRunner(new ProtoRequestJsonReader()).Run(formatted);

        Assert.Empty(report.Diagnostics);
        Assert.Equal(ShippedSuite.Report.Cases.Count, report.Cases.Count);
        Assert.Equal(ShippedSuite.Report.Cases.Select(c => (c.File, c.Name, c.Passed || c.Todo)), report.Cases.Select(c => (c.File, c.Name, c.Passed || c.Todo)));
    }

    [Fact]
    public void Format_FormattedRuleSet_IsCanonicalAlready()
    {
        foreach (var file in Directory.EnumerateFiles(Formatted.Value, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Formatted.Value, file).Replace('\\', '/');
            if (RuleFileFormatter.Formats(relative))
            {
                var text = File.ReadAllText(file);
                Assert.True(text == RuleFileFormatter.Format(relative, text).Text, relative);
            }
        }
    }
}
