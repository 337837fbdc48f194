using SafetyCheck.Core.Rules;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>check --format sarif</c>: a SARIF 2.1.0 log (OASIS) with one result per diagnostic, for code scanning and CI
/// systems. Files below the current directory are given relative to it under the base id <c>%SRCROOT%</c> (the
/// current directory), others as absolute <c>file:</c> URIs; lines and columns are 1-based UTF-16 positions, and a
/// diagnostic about a whole file has no region. Results carry one of two rule ids, <c>rule-set-error</c> (the rule
/// set is not served, <c>check</c> fails) and <c>rule-set-warning</c> (probably not what was meant).
/// </summary>
internal static class SarifReport
{
    /// <summary>The schema the log names (the OASIS 2.1.0 schema with its errata).</summary>
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    public const string ErrorRuleId = "rule-set-error";

    public const string WarningRuleId = "rule-set-warning";

    private const string SourceRoot = "%SRCROOT%";

    public static string Write(CheckFindings findings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json);
            json.WriteStartObject("originalUriBaseIds");
            json.WriteStartObject(SourceRoot);
            json.WriteString("uri", DirectoryUri(Environment.CurrentDirectory));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("invocations");
            json.WriteStartObject();
            json.WriteBoolean("executionSuccessful", true);
            json.WriteNumber("exitCode", findings.ExitCode);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("columnKind", "utf16CodeUnits");
            json.WriteStartArray("results");
            foreach (var diagnostic in findings.Diagnostics)
            {
                WriteResult(json, findings.Directory, diagnostic);
            }

            json.WriteEndArray();
            if (findings.RuleSet is { } ruleSet)
            {
                json.WriteStartObject("properties");
                json.WriteString("ruleset", ruleSet.Identity.Name);
                json.WriteString("rulesetVersion", ruleSet.Identity.Version);
                json.WriteString("revision", ruleSet.Identity.Revision);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTool(Utf8JsonWriter json)
    {
        var version = typeof(SarifReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "safetycheck");
        json.WriteString("version", version);
        json.WriteStartArray("rules");
        WriteRule(json, ErrorRuleId, "The rule set cannot be used as it stands: it is never served, and check fails.", "error");
        WriteRule(json, WarningRuleId, "The rule set works, but this is probably not what its authors meant.", "warning");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, string id, string description, string level)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteStartObject("shortDescription");
        json.WriteString("text", description);
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", level);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, string directory, Diagnostic diagnostic)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", diagnostic.IsError ? ErrorRuleId : WarningRuleId);
        json.WriteString("level", diagnostic.IsError ? "error" : "warning");
        json.WriteStartObject("message");
        json.WriteString("text", diagnostic.Message);
        json.WriteEndObject();
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        var display = RuleSetReport.DisplayPath(directory, diagnostic.File);
        if (Path.IsPathRooted(display))
        {
            json.WriteString("uri", new Uri(display).AbsoluteUri);
        }
        else
        {
            json.WriteString("uri", string.Join('/', display.Split('/').Select(Uri.EscapeDataString)));
            json.WriteString("uriBaseId", SourceRoot);
        }

        json.WriteEndObject();
        if (diagnostic.Line >= 1)
        {
            json.WriteStartObject("region");
            json.WriteNumber("startLine", diagnostic.Line);
            if (diagnostic.Column >= 1)
            {
                json.WriteNumber("startColumn", diagnostic.Column);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A directory as a <c>file:</c> URI ending with a slash, as SARIF wants a base id's URI.</summary>
    private static string DirectoryUri(string directory)
    {
        var uri = new Uri(Path.GetFullPath(directory)).AbsoluteUri;
        return uri.EndsWith('/') ? uri : uri + "/";
    }
}
