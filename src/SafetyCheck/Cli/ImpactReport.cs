using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Cli;

/// <summary>What <c>impact</c> prints: a text summary for people, or one JSON object for tools.</summary>
/// <param name="Directory">The candidate's rule directory.</param>
/// <param name="Candidate">The candidate's identity.</param>
/// <param name="Store">The audit store read, for people (no password).</param>
/// <param name="From">The period's start (inclusive); null for none.</param>
/// <param name="To">The period's end (exclusive); null for none.</param>
/// <param name="Tally">What the replays found.</param>
internal sealed record ImpactReport(string Directory, RulesetIdentity Candidate, string Store, DateTimeOffset? From, DateTimeOffset? To, ImpactTally Tally)
{
    /// <summary>
    /// The summary: the candidate and the period, the counts, the from → to table, the rules responsible with how
    /// their result changes, and example decision ids.
    /// </summary>
    public string ToText(bool colour)
    {
        var t = Tally;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"impact of {Candidate.Name} {Candidate.Version} revision {Candidate.Revision[..12]} ({RuleSetReport.DisplayPath(Directory, "")})");
        text.AppendLine(CultureInfo.InvariantCulture, $"on {t.Decisions:N0} decisions recorded {Period()} in {Store}, made on {t.Revisions.Count} revision{(t.Revisions.Count == 1 ? "" : "s")}");
        var verdicts = $"{t.VerdictChanged:N0} verdict{(t.VerdictChanged == 1 ? "" : "s")} would change ({Percent(t.VerdictChanged)})";
        text.AppendLine(CultureInfo.InvariantCulture, $"  {(t.VerdictChanged > 0 ? TerminalColours.Yellow(verdicts, colour) : verdicts)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {t.OtherChanged:N0} would change in precautions or notes only");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {t.Unchanged:N0} would be decided exactly as recorded");
        if (t.Unreadable > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {t.Unreadable:N0} entries could not be read as decision records: run 'safetycheck audit verify'");
        }

        if (t.VerdictChanges.Count > 0)
        {
            text.AppendLine().AppendLine("verdict changes (recorded → candidate):");
            var width = t.VerdictChanges.Max(v => v.From.Length + v.To.Length + 3);
            foreach (var change in t.VerdictChanges)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {(change.From + " → " + change.To).PadRight(width)}  {change.Decisions,8:N0}  e.g. {string.Join(", ", change.Examples)}");
            }
        }

        if (t.RuleChanges.Count > 0)
        {
            text.AppendLine().AppendLine("rules responsible (result or precaution differs: decisions, of which the verdict changed, and how):");
            var width = t.RuleChanges.Max(r => r.RuleId.Length);
            foreach (var rule in t.RuleChanges)
            {
                var transitions = string.Join(", ", rule.Transitions.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Change} {x.Decisions:N0}")));
                text.AppendLine(CultureInfo.InvariantCulture, $"  {rule.RuleId.PadRight(width)}  {rule.Decisions,8:N0}  {rule.VerdictChanged,8:N0}  {transitions}");
                text.AppendLine(CultureInfo.InvariantCulture, $"  {"".PadRight(width)}  e.g. {string.Join(", ", rule.Examples)}");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// One JSON object: <c>candidate {name, version, revision, directory}</c>, <c>from</c>, <c>to</c> (null when
    /// unbounded), <c>decisions</c>, <c>verdict_changed</c>, <c>other_changed</c>, <c>unchanged</c>, <c>unreadable</c>,
    /// <c>verdict_changes [{from, to, decisions, examples}]</c>, <c>rules [{rule_id, decisions, verdict_changed,
    /// transitions [{change, decisions}], examples}]</c> and <c>revisions [{revision, decisions}]</c>.
    /// </summary>
    public string ToJson()
    {
        var t = Tally;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("candidate");
            json.WriteString("name", Candidate.Name);
            json.WriteString("version", Candidate.Version);
            json.WriteString("revision", Candidate.Revision);
            json.WriteString("directory", Directory);
            json.WriteEndObject();
            WriteTime(json, "from", From);
            WriteTime(json, "to", To);
            json.WriteNumber("decisions", t.Decisions);
            json.WriteNumber("verdict_changed", t.VerdictChanged);
            json.WriteNumber("other_changed", t.OtherChanged);
            json.WriteNumber("unchanged", t.Unchanged);
            json.WriteNumber("unreadable", t.Unreadable);
            json.WriteStartArray("verdict_changes");
            foreach (var change in t.VerdictChanges)
            {
                json.WriteStartObject();
                json.WriteString("from", change.From);
                json.WriteString("to", change.To);
                json.WriteNumber("decisions", change.Decisions);
                WriteStrings(json, "examples", change.Examples);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("rules");
            foreach (var rule in t.RuleChanges)
            {
                json.WriteStartObject();
                json.WriteString("rule_id", rule.RuleId);
                json.WriteNumber("decisions", rule.Decisions);
                json.WriteNumber("verdict_changed", rule.VerdictChanged);
                json.WriteStartArray("transitions");
                foreach (var transition in rule.Transitions)
                {
                    json.WriteStartObject();
                    json.WriteString("change", transition.Change);
                    json.WriteNumber("decisions", transition.Decisions);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                WriteStrings(json, "examples", rule.Examples);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("revisions");
            foreach (var (revision, decisions) in t.Revisions)
            {
                json.WriteStartObject();
                json.WriteString("revision", revision);
                json.WriteNumber("decisions", decisions);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private string Period() => (From, To) switch
    {
        (null, null) => "at any time",
        ({ } from, null) => $"from {Time(from)}",
        (null, { } to) => $"before {Time(to)}",
        ({ } from, { } to) => $"from {Time(from)} to {Time(to)}",
    };

    private string Percent(long count) => Tally.Decisions == 0 ? "0%" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / Tally.Decisions:0.#}%");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, Time(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
