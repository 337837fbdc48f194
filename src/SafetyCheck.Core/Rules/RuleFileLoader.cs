using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Reads one rule file (a RulesEngine workflow: <c>{"WorkflowName": …, "Rules": [...]}</c>) strictly, including
/// the <c>Properties</c> schema documented in <c>rules/README.md</c>. Expressions are vetted separately.
/// </summary>
internal static partial class RuleFileLoader
{
    /// <summary>Id of the synthetic precaution for unrecognised active codes; no rule may use it.</summary>
    public const string UnrecognizedConditionRuleId = "unrecognized-condition";

    private const int MaxSummaryLength = 140;

    /// <summary>
    /// The rules of <paramref name="file"/> that load; each problem goes to <paramref name="diagnostics"/>. A rule whose
    /// other members have errors but whose expression is a string goes to <paramref name="unloaded"/>, so that its
    /// expression is vetted too and every error of the rule is reported at once.
    /// </summary>
    public static IReadOnlyList<LoadedRule> Read(JsonSourceFile file, ConditionCatalog? catalog, ICollection<Diagnostic> diagnostics, ICollection<UnloadedRule>? unloaded = null)
    {
        if (file.Root is null)
        {
            return [];
        }

        if (file.Root is not JObject root)
        {
            diagnostics.Add(file.At(file.Root, "a rule file holds one workflow object: {\"WorkflowName\": …, \"Rules\": [...]}"));
            return [];
        }

        var workflow = new StrictObject(file, root, "the workflow", diagnostics);
        workflow.AllowOnlyAtTop("WorkflowName", "Rules");
        var workflowName = workflow.RequiredString("WorkflowName") ?? file.DisplayPath;
        if (root["Rules"] is null)
        {
            workflow.Report(root, "the workflow is missing required property 'Rules'");
            return [];
        }

        var rules = workflow.OptionalArray("Rules");
        if (rules is null)
        {
            return [];
        }

        var loaded = new List<LoadedRule>();
        foreach (var item in rules)
        {
            if (item is not JObject ruleObject)
            {
                diagnostics.Add(file.At(item, "each item of 'Rules' must be a rule object"));
                continue;
            }

            if (ReadRule(file, workflowName, ruleObject, catalog, diagnostics, unloaded) is { } rule)
            {
                loaded.Add(rule);
            }
        }

        return loaded;
    }

    private static LoadedRule? ReadRule(
        JsonSourceFile file, string workflowName, JObject ruleObject, ConditionCatalog? catalog, ICollection<Diagnostic> diagnostics, ICollection<UnloadedRule>? unloaded)
    {
        var nameToken = ruleObject.Property("RuleName", StringComparison.Ordinal);
        var id = nameToken?.Value.Type == JTokenType.String ? nameToken.Value.Value<string>() : null;
        var rule = new StrictObject(file, ruleObject, id is null ? "a rule" : $"rule '{id}'", diagnostics);
        rule.AllowOnly("RuleName", "Expression", "Properties", "RuleExpressionType");
        var before = diagnostics.Count;
        id = rule.RequiredString("RuleName");
        if (id is not null && nameToken is not null && (!RuleIdPattern().IsMatch(id) || id == UnrecognizedConditionRuleId))
        {
            rule.Report(nameToken.Value, id == UnrecognizedConditionRuleId
                ? $"rule id '{id}' is reserved for the engine's own precaution"
                : $"rule id '{id}' must be lower-case kebab-case (letters, digits and single hyphens)");
        }

        var expression = rule.RequiredString("Expression");
        if (rule.OptionalString("RuleExpressionType") is { } type && type != "LambdaExpression")
        {
            rule.Report(ruleObject["RuleExpressionType"]!, "'RuleExpressionType' can only be \"LambdaExpression\"");
        }

        var properties = rule.RequiredObject("Properties");
        RuleDefinition? definition = null;
        JToken? conditionsToken = null;
        if (properties is not null)
        {
            (definition, conditionsToken) = ReadProperties(file, id ?? "?", properties, catalog, diagnostics);
        }

        if (diagnostics.Count > before || definition is null || id is null || expression is null || nameToken is null)
        {
            if (expression is not null && ruleObject["Expression"] is { } expressionToken)
            {
                unloaded?.Add(new UnloadedRule(id ?? "?", expression, file, expressionToken));
            }

            return null;
        }

        var (line, column) = file.StartOf(nameToken);
        definition = definition with { RuleId = id, Expression = expression, File = file.DisplayPath, Line = line, Column = column };
        return new LoadedRule(definition, workflowName, file, nameToken, ruleObject["Expression"]!, conditionsToken);
    }

    private static (RuleDefinition? Definition, JToken? ConditionsToken) ReadProperties(
        JsonSourceFile file, string id, JObject properties, ConditionCatalog? catalog, ICollection<Diagnostic> diagnostics)
    {
        var p = new StrictObject(file, properties, $"the Properties of rule '{id}'", diagnostics);
        p.AllowOnly("kind", "outcome", "severity", "summary", "detail", "conditions", "avoidAreas", "avoidConditionSite", "maxPressure", "conflictOutcome", "evidence", "topic");
        var before = diagnostics.Count;

        var kind = RuleKind.Precaution;
        if (p.OptionalString("kind") is { } kindText)
        {
            switch (kindText)
            {
                case "precaution": kind = RuleKind.Precaution; break;
                case "benefit": kind = RuleKind.Benefit; break;
                default: p.Report(properties["kind"]!, $"'kind' must be \"precaution\" or \"benefit\", not \"{kindText}\""); break;
            }
        }

        var outcome = RequiredEnum<Suitability>(p, "outcome");
        var severity = kind == RuleKind.Benefit && properties["severity"] is null ? Severity.Info : RequiredEnum<Severity>(p, "severity");
        var summary = p.RequiredString("summary");
        if (summary is not null && summary.Length > MaxSummaryLength)
        {
            p.Report(properties["summary"]!, $"'summary' has {summary.Length} characters; at most {MaxSummaryLength} (it is shown as a card title)");
        }

        var detail = kind == RuleKind.Precaution ? p.RequiredString("detail") : p.OptionalString("detail") ?? "";
        var topic = kind == RuleKind.Benefit ? p.RequiredString("topic") : p.OptionalString("topic") ?? "";
        if (kind == RuleKind.Benefit && outcome is { } o && o != Suitability.Suitable)
        {
            p.Report(properties["outcome"]!, "a benefit note never changes the verdict: its 'outcome' must be \"SUITABLE\"");
        }

        var conditions = new List<string>();
        foreach (var (value, token) in p.OptionalStrings("conditions"))
        {
            if (conditions.Contains(value, StringComparer.Ordinal))
            {
                p.Report(token, $"condition '{value}' is listed twice");
            }
            else if (catalog is not null && !catalog.Contains(value))
            {
                p.Report(token, $"condition '{value}' is not an id in conditions.json");
            }

            conditions.Add(value);
        }

        var avoidAreas = new List<BodyArea>();
        foreach (var (value, token) in p.OptionalStrings("avoidAreas"))
        {
            if (EnumNames.TryParse<BodyArea>(value, out var area))
            {
                avoidAreas.Add(area);
            }
            else
            {
                p.Report(token, $"'{value}' is not a body area; use one of {string.Join(", ", EnumNames.All<BodyArea>())}");
            }
        }

        var avoidSite = p.OptionalBool("avoidConditionSite") ?? false;
        var maxPressure = OptionalEnum<Pressure>(p, "maxPressure") ?? Pressure.Unspecified;
        var conflictOutcome = OptionalEnum<Suitability>(p, "conflictOutcome");
        if (conflictOutcome is not null && avoidAreas.Count == 0 && !avoidSite && maxPressure == Pressure.Unspecified)
        {
            p.Report(properties["conflictOutcome"]!, "'conflictOutcome' has no effect without 'avoidAreas', 'avoidConditionSite' or 'maxPressure'");
        }

        if (conflictOutcome is { } co && outcome is { } oc && co < oc)
        {
            p.Report(properties["conflictOutcome"]!, "'conflictOutcome' must be at least as restrictive as 'outcome'");
        }

        var evidence = EvidenceReader.Read(p, "evidence");
        if (diagnostics.Count > before || outcome is null || severity is null || summary is null || detail is null || topic is null || evidence is null)
        {
            return (null, null);
        }

        var definition = new RuleDefinition
        {
            RuleId = id,
            Kind = kind,
            Outcome = outcome.Value,
            Severity = severity.Value,
            Summary = summary,
            Detail = detail,
            AvoidAreas = avoidAreas,
            AvoidConditionSite = avoidSite,
            MaxPressure = maxPressure,
            ConflictOutcome = conflictOutcome ?? Suitability.ClinicianReviewRequired,
            Evidence = evidence,
            ConditionIds = conditions,
            Topic = topic,
            Expression = "",
            File = file.DisplayPath,
            Line = 0,
        };
        return (definition, properties["conditions"]);
    }

    private static T? RequiredEnum<T>(StrictObject p, string name)
        where T : struct, Enum
    {
        if (p.Json[name] is null)
        {
            p.Report(p.Json, $"{p.What} is missing required property '{name}'");
            return null;
        }

        return OptionalEnum<T>(p, name);
    }

    private static T? OptionalEnum<T>(StrictObject p, string name)
        where T : struct, Enum
    {
        var text = p.OptionalString(name);
        if (text is null)
        {
            return null;
        }

        if (EnumNames.TryParse<T>(text, out var value))
        {
            return value;
        }

        p.Report(p.Json[name]!, $"{p.What}: '{name}' must be one of {string.Join(", ", EnumNames.All<T>())}, not \"{text}\"");
        return null;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleIdPattern();
}
