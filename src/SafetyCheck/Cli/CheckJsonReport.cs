using System.Text.Encodings.Web;
using System.Text.Json;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>check --format json</c>: one document for tools, with the rule set (null when it did not load), the counts and
/// every diagnostic (<c>file</c> as the text format shows it, 1-based <c>line</c> and <c>column</c>, 0 when unknown).
/// </summary>
internal static class CheckJsonReport
{
    public static string Write(CheckFindings findings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("directory", RuleSetReport.DisplayPath(findings.Directory, ""));
            if (findings.RuleSet is { } ruleSet)
            {
                json.WriteStartObject("ruleset");
                json.WriteString("name", ruleSet.Identity.Name);
                json.WriteString("version", ruleSet.Identity.Version);
                json.WriteString("revision", ruleSet.Identity.Revision);
                json.WriteNumber("rules", ruleSet.Rules.Count);
                json.WriteNumber("files", ruleSet.Files.Count);
                json.WriteNumber("cases", findings.CaseCount);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("ruleset");
            }

            json.WriteBoolean("ok", findings.ExitCode == ExitCodes.Ok);
            json.WriteNumber("errors", findings.Errors);
            json.WriteNumber("warnings", findings.Warnings);
            json.WriteStartArray("diagnostics");
            foreach (var diagnostic in findings.Diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("file", RuleSetReport.DisplayPath(findings.Directory, diagnostic.File));
                json.WriteNumber("line", diagnostic.Line);
                json.WriteNumber("column", diagnostic.Column);
                json.WriteString("severity", diagnostic.IsError ? "error" : "warning");
                json.WriteString("message", diagnostic.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
