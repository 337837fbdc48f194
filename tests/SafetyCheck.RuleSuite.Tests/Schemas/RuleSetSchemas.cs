using System.Text.Json;
using Json.Schema;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSuite.Tests.Schemas;

/// <summary>The JSON Schemas under <c>rules/schemas/</c>, read once, and validation of a file against its own.</summary>
internal static class RuleSetSchemas
{
    private static readonly Dictionary<string, JsonSchema> Schemas = LoadSchemas();

    /// <summary>The schema folder of the shipped rules.</summary>
    public static string Folder => Path.Combine(ShippedSuite.Directory, "schemas");

    /// <summary>
    /// The problems of <paramref name="json"/> against the schema of <paramref name="kind"/>, one line each
    /// (<c>/instance/location: message</c>); empty when valid. Text that is not JSON is one problem.
    /// </summary>
    public static IReadOnlyList<string> Problems(RuleSetFileKind kind, string json)
    {
        var schema = Schemas[RuleSetFileKinds.SchemaFile(kind) ?? throw new ArgumentException($"{kind} has no schema", nameof(kind))];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            return [$"not JSON: {ex.Message}"];
        }

        using (document)
        {
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid)
            {
                return [];
            }

            var problems = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
                .ToList();
            return problems.Count > 0 ? problems : ["invalid (no detail)"];
        }
    }

    private static Dictionary<string, JsonSchema> LoadSchemas()
    {
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var name in new[] { SchemaReference.RuleFile, SchemaReference.CasesFile, SchemaReference.CatalogFile, SchemaReference.ManifestFile, SchemaReference.SnomedExpansionFile })
        {
            // Each schema is self-contained; a registry of its own keeps them from meeting in the global one.
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
            schemas[name] = JsonSchema.FromFile(Path.Combine(Folder, name), options);
        }

        return schemas;
    }
}
