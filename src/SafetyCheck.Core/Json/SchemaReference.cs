namespace SafetyCheck.Core.Json;

/// <summary>
/// The JSON Schemas of the rule-set files and the <c>$schema</c> member that points a file at its schema. The schemas
/// live in the rule directory's <c>schemas/</c> folder (<c>rules/schemas/*.schema.json</c>, JSON Schema draft
/// 2020-12); each shipped file names its own with a relative path (<c>"$schema": "./schemas/rule.schema.json"</c>) so
/// that editors complete and validate as clinicians type. The loaders accept <c>$schema</c> at the top level of a
/// file, require it to be a non-empty string and read nothing else from it: it affects no decision. The schemas are
/// not part of a rule revision; the member is part of its file's bytes, so adding or changing it changes the
/// revision hash like any other edit of that file.
/// </summary>
public static class SchemaReference
{
    /// <summary>The member name, allowed at the top level of every rule-set and case file.</summary>
    public const string MemberName = "$schema";

    /// <summary>The schemas' folder, relative to the rule directory, with its trailing slash.</summary>
    public const string Folder = "schemas/";

    /// <summary>Schema file of rule files (one RulesEngine workflow each).</summary>
    public const string RuleFile = "rule.schema.json";

    /// <summary>Schema file of <c>*.cases.json</c>.</summary>
    public const string CasesFile = "cases.schema.json";

    /// <summary>Schema file of <c>conditions.json</c>.</summary>
    public const string CatalogFile = "conditions.schema.json";

    /// <summary>Schema file of <c>ruleset.json</c>.</summary>
    public const string ManifestFile = "ruleset.schema.json";

    /// <summary>Schema file of <c>terminology/snomed/&lt;concept&gt;.json</c>.</summary>
    public const string SnomedExpansionFile = "snomed-expansion.schema.json";

    /// <summary>True for a path (relative to the rule directory, forward slashes) inside the schemas folder.</summary>
    public static bool IsSchema(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith(Folder, StringComparison.Ordinal);
    }

    /// <summary>
    /// The value of <c>$schema</c> a file at <paramref name="path"/> (relative to the rule directory, forward slashes)
    /// names its schema <paramref name="schemaFile"/> with: a path relative to the file's own folder, starting with
    /// <c>./</c> or <c>../</c> (editors such as VS Code read a bare <c>schemas/x.json</c> as relative to the workspace,
    /// not to the file): <c>./schemas/rule.schema.json</c>, <c>../../schemas/snomed-expansion.schema.json</c>.
    /// </summary>
    public static string RelativeReference(string path, string schemaFile)
    {
        ArgumentNullException.ThrowIfNull(path);
        var depth = path.Count(c => c == '/');
        return (depth == 0 ? "./" : string.Concat(Enumerable.Repeat("../", depth))) + Folder + schemaFile;
    }
}
