using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;

namespace SafetyCheck.Cli;

/// <summary>
/// The traceability report as one self-contained HTML page (no external assets, no script, printable): for each
/// rule, the policy row it implements, its cases and their results, its citations and evidence grade, and how often
/// it fired in the recorded decisions of the period, overall and per revision, with the rules that never fired
/// flagged; then a sign-off block. Elements carry ids and classes a reader (or a test) can find them by:
/// <c>#rule-&lt;id&gt;</c> and <c>#index-&lt;id&gt;</c> per rule, <c>.never-fired</c> on a rule that never fired.
/// </summary>
internal static partial class TraceabilityReport
{
    private const string Style = """
        body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 2em auto; max-width: 70em; padding: 0 1em; }
        h1 { font-size: 1.8em; margin-bottom: 0; }
        h2 { border-bottom: 2px solid #333; padding-bottom: .2em; margin-top: 2em; }
        h3 { margin: 0 0 .3em; }
        h4 { margin: .9em 0 .3em; font-size: 1em; }
        .subtitle { margin-top: .2em; font-size: 1.2em; color: #444; }
        table { border-collapse: collapse; width: 100%; margin: .4em 0; }
        th, td { border: 1px solid #bbb; padding: .25em .45em; text-align: left; vertical-align: top; }
        th { background: #eee; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        table.facts th { width: 12em; }
        code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: .92em; overflow-wrap: anywhere; }
        #index td:first-child code { white-space: nowrap; }
        .rule { border: 1px solid #999; border-radius: 4px; padding: .8em 1em; margin: 1em 0; }
        .rule.never-fired { border-left: 6px solid #b45309; }
        .flag { font-size: .8em; font-weight: bold; padding: .1em .5em; border-radius: 3px; margin-left: .5em; }
        .flag.never-fired { background: #fde68a; color: #78350f; border: 1px solid #b45309; }
        tr.never-fired td { background: #fef3c7; }
        .pass { color: #166534; font-weight: bold; }
        .fail { color: #b91c1c; font-weight: bold; }
        .todo { color: #92400e; font-weight: bold; }
        .missing { color: #b91c1c; }
        dl { display: grid; grid-template-columns: 11em 1fr; gap: .15em .8em; margin: .4em 0; }
        dt { font-weight: bold; }
        dd { margin: 0; }
        ul.problems li { margin: .2em 0; }
        .sign-off td { height: 2.4em; }
        footer { margin-top: 2em; color: #555; font-size: .9em; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
        @media print {
          body { margin: 0; max-width: none; font-size: 9.5pt; }
          a { color: inherit; text-decoration: none; }
          .rule, tr { break-inside: avoid; }
          h2 { break-after: avoid; }
          #sign-off { break-before: page; }
        }
        @page { size: A4; margin: 14mm; }
        """;

    public static string Render(TraceabilityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var html = new StringBuilder();
        var identity = input.RuleSet.Identity;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>Traceability report: {E(identity.Name)} {E(identity.Version)}</title>\n");
        html.Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        WriteHeader(html, input);
        html.Append("<main>\n");
        WriteSummary(html, input);
        WriteRevisions(html, input);
        WriteIndex(html, input);
        WriteRules(html, input);
        WriteSignOff(html, input);
        html.Append("</main>\n");
        html.Append(CultureInfo.InvariantCulture, $"<footer>Made by <code>safetycheck report</code> on {E(Time(input.GeneratedAt))}. Rule revision <code>{E(identity.Revision)}</code>.</footer>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void WriteHeader(StringBuilder html, TraceabilityInput input)
    {
        var identity = input.RuleSet.Identity;
        html.Append("<header>\n<h1>Traceability report</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"subtitle\">{E(identity.Name)} {E(identity.Version)}: each rule, the policy row it implements, its cases, its evidence, and how often it fired.</p>\n");
        html.Append("<table class=\"facts\" id=\"facts\">\n<caption class=\"visually-hidden\">What this report covers</caption>\n");
        Fact(html, "Rule set", $"{E(identity.Name)} {E(identity.Version)}");
        Fact(html, "Revision", $"<code id=\"revision\">{E(identity.Revision)}</code>");
        Fact(html, "Rules directory", $"<code>{E(input.Directory)}</code>");
        Fact(html, "Policy document", input.RuleSet.Policy is { } policy ? $"<code>{E(policy.Path)}</code>" : "none named in ruleset.json");
        Fact(html, "Audit trail", E(input.AuditTrail));
        Fact(html, "Period", E(Period(input.From, input.To)));
        Fact(html, "Generated", E(Time(input.GeneratedAt)));
        html.Append("</table>\n</header>\n");
    }

    private static void WriteSummary(StringBuilder html, TraceabilityInput input)
    {
        var rules = input.RuleSet.Rules;
        var suite = input.Suite;
        var errors = input.Review.Where(d => d.IsError).ToList();
        var warnings = input.Review.Count - errors.Count;
        html.Append("<section id=\"summary\">\n<h2>Summary</h2>\n<ul>\n");
        html.Append(CultureInfo.InvariantCulture, $"<li id=\"summary-rules\">{rules.Count} rules: {rules.Count(r => r.Kind == RuleKind.Precaution)} precautions, {rules.Count(r => r.Kind == RuleKind.Benefit)} benefit notes.</li>\n");
        html.Append(CultureInfo.InvariantCulture, $"<li id=\"summary-cases\">{suite.Cases.Count} cases: {suite.Passed} passed, {suite.Failed} failed{(suite.Todo > 0 ? $", {suite.Todo} todo" : "")}{(suite.Diagnostics.Count > 0 ? $"; {suite.Diagnostics.Count} problems in the case files" : "")}.</li>\n");
        if (input.Usage is { } usage)
        {
            var never = rules.Count(r => usage.Fired(r.RuleId) == 0);
            html.Append(CultureInfo.InvariantCulture, $"<li id=\"summary-decisions\">{usage.Decisions} decisions recorded in the period, on {usage.Revisions.Count} rule revision{(usage.Revisions.Count == 1 ? "" : "s")}.</li>\n");
            html.Append(CultureInfo.InvariantCulture, $"<li id=\"summary-never-fired\">{never} rule{(never == 1 ? "" : "s")} never fired in the period{(never > 0 ? " (flagged below)" : "")}.</li>\n");
        }
        else
        {
            html.Append("<li id=\"summary-decisions\" class=\"missing\">No audit trail was read: how often each rule fired is not shown.</li>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<li id=\"summary-review\">Review: {(errors.Count == 0 ? "no error" : $"{errors.Count} error{(errors.Count == 1 ? "" : "s")}")}, {warnings} warning{(warnings == 1 ? "" : "s")} (the policy document cross-check, rules no case fires, literal numbers, the catalog).</li>\n");
        html.Append("</ul>\n");
        if (errors.Count > 0)
        {
            html.Append("<h3>Review errors</h3>\n<ul class=\"problems\">\n");
            foreach (var error in errors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><code>{E(error.File)}:{error.Line}:{error.Column}</code> {E(error.Message)}</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    private static void WriteRevisions(StringBuilder html, TraceabilityInput input)
    {
        if (input.Usage is not { } usage)
        {
            return;
        }

        html.Append("<section id=\"revisions\">\n<h2>Decisions per rule revision</h2>\n");
        if (usage.Revisions.Count == 0)
        {
            html.Append("<p>No decision was recorded in the period.</p>\n</section>\n");
            return;
        }

        html.Append("<table>\n<caption class=\"visually-hidden\">Decisions per rule revision</caption>\n<tr><th scope=\"col\">revision</th><th scope=\"col\">rule set</th><th scope=\"col\" class=\"number\">decisions</th><th scope=\"col\">first</th><th scope=\"col\">last</th></tr>\n");
        foreach (var revision in usage.Revisions)
        {
            var current = revision.Revision == input.RuleSet.Identity.Revision ? " (this report's revision)" : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-revision=\"{E(revision.Revision)}\"><td><code title=\"{E(revision.Revision)}\">{E(Short(revision.Revision))}</code>{current}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(revision.Name is null ? "not archived" : $"{revision.Name} {revision.Version}")}</td><td class=\"number\">{revision.Decisions}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(revision.FirstRecordedAt)}</td><td>{E(revision.LastRecordedAt)}</td></tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static void WriteIndex(StringBuilder html, TraceabilityInput input)
    {
        html.Append("<section id=\"index\">\n<h2>Rules at a glance</h2>\n<table>\n<caption class=\"visually-hidden\">Rules at a glance: each rule's verdict, evidence grade, policy row, cases passed of its cases, and decisions it fired in</caption>\n");
        html.Append("<tr><th scope=\"col\">rule</th><th scope=\"col\">verdict</th><th scope=\"col\">grade</th><th scope=\"col\">policy row</th><th scope=\"col\" class=\"number\">cases</th><th scope=\"col\" class=\"number\">fired</th><th scope=\"col\"><span class=\"visually-hidden\">flag</span></th></tr>\n");
        foreach (var rule in input.RuleSet.Rules)
        {
            var row = input.PolicyRows.FirstOrDefault(r => r.RuleIds.Contains(rule.RuleId, StringComparer.Ordinal));
            var cases = CasesOf(input.Suite, rule.RuleId);
            var fired = input.Usage?.Fired(rule.RuleId);
            var never = fired == 0;
            html.Append(CultureInfo.InvariantCulture, $"<tr id=\"index-{E(rule.RuleId)}\"{(never ? " class=\"never-fired\"" : "")}>");
            html.Append(CultureInfo.InvariantCulture, $"<td><a href=\"#rule-{E(rule.RuleId)}\"><code>{E(rule.RuleId)}</code></a></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(Verdict(rule))}</td><td>{E(rule.Evidence.Grade)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{(row is null ? "<span class=\"missing\">not named</span>" : E(row.Cells.Count > 0 ? row.Cells[0] : ""))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"number\">{cases.Count(c => c.Passed && !c.Todo)}/{cases.Count}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"number fired\">{(fired is { } n ? n.ToString(CultureInfo.InvariantCulture) : "—")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{(never ? "<span class=\"flag never-fired\">never fired</span>" : "")}</td></tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static void WriteRules(StringBuilder html, TraceabilityInput input)
    {
        html.Append("<section id=\"rules\">\n<h2>Rules</h2>\n");
        foreach (var rule in input.RuleSet.Rules)
        {
            var fired = input.Usage?.Fired(rule.RuleId);
            var never = fired == 0;
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"rule{(never ? " never-fired" : "")}\" id=\"rule-{E(rule.RuleId)}\" data-rule-id=\"{E(rule.RuleId)}\">\n");
            html.Append(CultureInfo.InvariantCulture, $"<h3><code>{E(rule.RuleId)}</code>{(never ? " <span class=\"flag never-fired\">never fired in the period</span>" : "")}</h3>\n");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"summary\">{E(rule.Summary)}</p>\n<dl>\n");
            Term(html, "kind", rule.Kind == RuleKind.Benefit ? $"benefit note ({E(rule.Topic)})" : "precaution");
            Term(html, "verdict", E(Verdict(rule)));
            if (rule.Detail.Length > 0)
            {
                Term(html, "detail", E(rule.Detail));
            }

            if (rule.AvoidAreas.Count > 0 || rule.AvoidConditionSite || rule.MaxPressure != Pressure.Unspecified)
            {
                var changes = rule.AvoidAreas.Select(EnumNames.Of).Concat(rule.AvoidConditionSite ? ["the condition's site"] : []).ToList();
                Term(html, "what changes", E($"{(changes.Count > 0 ? "avoid " + string.Join(", ", changes) : "")}{(changes.Count > 0 && rule.MaxPressure != Pressure.Unspecified ? "; " : "")}{(rule.MaxPressure != Pressure.Unspecified ? "max " + EnumNames.Of(rule.MaxPressure) : "")}; on a plan conflict {EnumNames.Of(rule.ConflictOutcome)}"));
            }

            if (rule.ConditionIds.Count > 0)
            {
                Term(html, "conditions", string.Join(", ", rule.ConditionIds.Select(c => $"<code>{E(c)}</code>")));
            }

            Term(html, "expression", $"<code>{E(rule.Expression)}</code>");
            Term(html, "defined at", $"<code>{E(RuleSetReport.DisplayPath(input.Directory, rule.File))}:{rule.Line}</code>");
            html.Append("</dl>\n");
            WritePolicyRow(html, input, rule);
            WriteEvidence(html, rule);
            WriteCases(html, input, rule);
            WriteFiring(html, input, rule);
            html.Append("</section>\n");
        }

        html.Append("</section>\n");
    }

    private static void WritePolicyRow(StringBuilder html, TraceabilityInput input, RuleDefinition rule)
    {
        html.Append("<h4>Policy row</h4>\n");
        var rows = input.PolicyRows.Where(r => r.RuleIds.Contains(rule.RuleId, StringComparer.Ordinal)).ToList();
        if (rows.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"missing policy-missing\">Not named in {(input.RuleSet.Policy is { } policy ? $"<code>{E(policy.Path)}</code>" : "a policy document (ruleset.json names none)")}.</p>\n");
            return;
        }

        foreach (var row in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<table class=\"policy-row\" data-line=\"{row.Line}\">\n<caption class=\"visually-hidden\">Policy row of {E(rule.RuleId)}</caption>\n");
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">section</th><td>{E(row.Section)} (line {row.Line})</td></tr>\n");
            for (int i = 0; i < row.Headers.Count && i < row.Cells.Count; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(row.Headers[i])}</th><td>{Markdown(row.Cells[i])}</td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }

    private static void WriteEvidence(StringBuilder html, RuleDefinition rule)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h4>Evidence: grade <span class=\"grade\">{E(rule.Evidence.Grade)}</span></h4>\n<ol class=\"citations\">\n");
        foreach (var citation in rule.Evidence.Citations)
        {
            var link = citation.Url.Length > 0 ? $" <a href=\"{E(citation.Url)}\">{E(citation.Url)}</a>" : "";
            html.Append(CultureInfo.InvariantCulture, $"<li>{E(citation.Title)} ({citation.Year}).{link}</li>\n");
        }

        html.Append("</ol>\n");
    }

    private static void WriteCases(StringBuilder html, TraceabilityInput input, RuleDefinition rule)
    {
        var cases = CasesOf(input.Suite, rule.RuleId);
        html.Append(CultureInfo.InvariantCulture, $"<h4>Cases ({cases.Count})</h4>\n");
        if (cases.Count == 0)
        {
            html.Append("<p class=\"missing\">No case fires this rule or names it.</p>\n");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<table class=\"cases\">\n<caption class=\"visually-hidden\">Cases of {E(rule.RuleId)}</caption>\n<tr><th scope=\"col\">case</th><th scope=\"col\">where</th><th scope=\"col\">about this rule</th><th scope=\"col\">result</th></tr>\n");
        foreach (var result in cases)
        {
            var role = result.ExpectedNotRules.Contains(rule.RuleId, StringComparer.Ordinal) ? "must not fire it"
                : result.Fired.Contains(rule.RuleId, StringComparer.Ordinal) ? "fires it"
                : "must fire it";
            var (css, label) = result.Todo ? ("todo", "TODO") : result.Passed ? ("pass", "PASS") : ("fail", "FAIL");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(result.Name)}</td><td><code>{E(RuleSetReport.DisplayPath(input.Directory, result.File))}:{result.Line}</code></td><td>{role}</td><td class=\"{css}\">{label}</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void WriteFiring(StringBuilder html, TraceabilityInput input, RuleDefinition rule)
    {
        html.Append("<h4>Fired in recorded decisions</h4>\n");
        if (input.Usage is not { } usage)
        {
            html.Append("<p class=\"fired\">Not known: no audit trail was read.</p>\n");
            return;
        }

        var fired = usage.Fired(rule.RuleId);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"fired\" data-count=\"{fired}\">{fired} of {usage.Decisions} decisions in the period.</p>\n");
        if (usage.Revisions.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<table class=\"by-revision\">\n<caption class=\"visually-hidden\">Decisions {E(rule.RuleId)} fired in, per revision</caption>\n<tr><th scope=\"col\">revision</th><th scope=\"col\" class=\"number\">fired</th><th scope=\"col\" class=\"number\">of decisions</th></tr>\n");
            foreach (var revision in usage.Revisions)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr data-revision=\"{E(revision.Revision)}\"><td><code title=\"{E(revision.Revision)}\">{E(Short(revision.Revision))}</code></td><td class=\"number\">{usage.Fired(rule.RuleId, revision.Revision)}</td><td class=\"number\">{revision.Decisions}</td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }

    private static void WriteSignOff(StringBuilder html, TraceabilityInput input)
    {
        var identity = input.RuleSet.Identity;
        html.Append("<section id=\"sign-off\">\n<h2>Sign-off</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>I have reviewed the rules of {E(identity.Name)} {E(identity.Version)}, revision <code>{E(identity.Revision)}</code>, against the policy document, their cases, their evidence and their use over the period above, and I approve this revision for release / do not approve it (strike out one).</p>\n");
        html.Append("<table class=\"sign-off\">\n<caption class=\"visually-hidden\">Sign-off, to be completed by hand</caption>\n<tr><th scope=\"row\">Name</th><td></td></tr>\n<tr><th scope=\"row\">Role</th><td>Clinical safety officer</td></tr>\n<tr><th scope=\"row\">Signature</th><td></td></tr>\n<tr><th scope=\"row\">Date</th><td></td></tr>\n<tr><th scope=\"row\">Notes</th><td></td></tr>\n</table>\n</section>\n");
    }

    /// <summary>The cases that fire the rule or whose expectations name it, in suite order.</summary>
    private static List<CaseResult> CasesOf(RuleSuiteReport suite, string ruleId) =>
        [.. suite.Cases.Where(c => c.Fired.Contains(ruleId, StringComparer.Ordinal) || c.ExpectedRules.Contains(ruleId, StringComparer.Ordinal) || c.ExpectedNotRules.Contains(ruleId, StringComparer.Ordinal))];

    private static string Verdict(RuleDefinition rule) => rule.Kind == RuleKind.Benefit
        ? "benefit note (never changes the verdict)"
        : $"{EnumNames.Of(rule.Outcome)} ({EnumNames.Of(rule.Severity)})";

    private static void Fact(StringBuilder html, string name, string valueHtml) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(name)}</th><td>{valueHtml}</td></tr>\n");

    private static void Term(StringBuilder html, string name, string valueHtml) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{E(name)}</dt><dd>{valueHtml}</dd>\n");

    private static string Period(DateTimeOffset? from, DateTimeOffset? to) => (from, to) switch
    {
        (null, null) => "the whole audit trail",
        ({ } f, null) => $"recorded at or after {Time(f)}",
        (null, { } t) => $"recorded before {Time(t)}",
        ({ } f, { } t) => $"recorded at or after {Time(f)} and before {Time(t)}",
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Short(string revision) => revision.Length > 12 ? revision[..12] : revision.Length == 0 ? "(none)" : revision;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A policy cell's Markdown as HTML: code spans and bold; everything else as text.</summary>
    private static string Markdown(string cell)
    {
        var encoded = E(cell.Replace("\\|", "|", StringComparison.Ordinal));
        encoded = CodeSpan().Replace(encoded, m => $"<code>{m.Groups[1].Value}</code>");
        return Bold().Replace(encoded, m => $"<strong>{m.Groups[1].Value}</strong>");
    }

    [GeneratedRegex("`([^`]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*", RegexOptions.CultureInvariant)]
    private static partial Regex Bold();
}
