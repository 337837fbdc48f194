using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// CDS Hooks cards from outcomes. A decision gives a verdict card (index 0: what to do, the precautions in brief, the
/// child's derived facts, what was not used, the decision id and rule revision), then one card per precaution that
/// drives or qualifies the verdict, then one card of evidence notes for the family. Indicators: <c>critical</c> for
/// NOT_SUITABLE, <c>warning</c> for clinician review and for precautions, <c>info</c> for guidance. Every card names
/// its decision and has a uuid that leads back to it (<see cref="CardIds"/>); cards that are not plain guidance offer
/// the <see cref="OverrideReasons"/>. A check that could not be made gives one <c>warning</c> card saying so and why.
/// </summary>
internal sealed class CdsCards(IOptions<CdsHooksOptions> options, TimeProvider clock)
{
    /// <summary>Most citation links on one card.</summary>
    private const int MaxLinks = 5;

    /// <summary>
    /// Most lines of "not used from the record" on the verdict card. Items with the same reason share one line (their
    /// elements listed, up to <see cref="MaxPathsPerLine"/>), in the order of their first item, so a long run of
    /// bookkeeping items (readings not on the session date) takes one line and never pushes the others out.
    /// </summary>
    internal const int MaxNoteLines = 40;

    /// <summary>Most elements named on one line of "not used from the record"; the line says how many more share the reason.</summary>
    internal const int MaxPathsPerLine = 6;

    /// <summary>
    /// The cards of a decision. <paramref name="prefix"/> (the session's local date and time) ends each summary when a
    /// call has several sessions; <paramref name="session"/> is named in the verdict card's detail, with the session
    /// details it did not give.
    /// </summary>
    public IReadOnlyList<JsonObject> ForDecision(Decided decided, string? prefix, PlannedSession session, IReadOnlyList<IgnoredElement> notes)
    {
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(notes);
        var assessment = decided.Assessment;
        var footer = Footer(decided);
        var shown = assessment.Precautions.Take(CardIds.MaxIndex - 1).ToArray();
        var cards = new List<JsonObject>
        {
            Card(
                CardIds.For(decided.DecisionId, 0),
                CardText.Summary(prefix, CardText.VerdictSummary(assessment.Suitability, assessment.Precautions.Count(p => p.Outcome != Suitability.Suitable), assessment.Precautions.Count(p => p.Outcome == Suitability.Suitable))),
                VerdictDetail(assessment, session, notes, footer),
                IndicatorOf(assessment.Suitability),
                assessment.Ruleset,
                [],
                overridable: assessment.Suitability != Suitability.Suitable),
        };
        for (var i = 0; i < shown.Length; i++)
        {
            var precaution = shown[i];
            cards.Add(Card(
                CardIds.For(decided.DecisionId, i + 1),
                CardText.Summary(prefix, precaution.PlanConflict ? "Plan conflict: " + precaution.Summary : precaution.Summary),
                PrecautionDetail(precaution, assessment.Facts, footer),
                IndicatorOf(precaution.Outcome),
                assessment.Ruleset,
                precaution.Evidence.Citations,
                overridable: precaution.Outcome != Suitability.Suitable));
        }

        if (assessment.Benefits.Count > 0)
        {
            var detail = new StringBuilder("Evidence-graded notes a clinician can share with the family (they do not change the verdict):\n\n");
            foreach (var benefit in assessment.Benefits)
            {
                detail.Append(CultureInfo.InvariantCulture, $"- **{benefit.Topic}** ({Grade(benefit.Evidence)}): {benefit.Summary}\n");
            }

            cards.Add(Card(
                CardIds.For(decided.DecisionId, shown.Length + 1),
                CardText.Summary(prefix, "Evidence notes on massage to share with the family"),
                detail.Append('\n').Append(footer).ToString(),
                "info",
                assessment.Ruleset,
                [.. assessment.Benefits.SelectMany(b => b.Evidence.Citations)],
                overridable: false));
        }

        return cards;
    }

    /// <summary>The card of a check that could not be made, with why and what to do.</summary>
    public JsonObject CheckNotMade(string? prefix, string why, IEnumerable<string> details, RulesetIdentity? ruleset)
    {
        var detail = new StringBuilder();
        detail.Append(Markdown.Escape(why)).Append("\n\n");
        foreach (var line in details)
        {
            detail.Append("- ").Append(Markdown.Escape(line)).Append('\n');
        }

        detail.Append('\n').Append(CardText.UntilChecked);
        return Card(Guid.CreateVersion7(clock.GetUtcNow()).ToString("D"), CardText.Summary(prefix, CardText.CheckNotMade), detail.ToString(), "warning", ruleset, [], overridable: false, made: false);
    }

    /// <summary>The card of a check whose data the mapping or the pipeline refused: each problem, named by its FHIR element.</summary>
    public JsonObject RecordProblems(string? prefix, IEnumerable<FieldViolation> violations, RulesetIdentity? ruleset) =>
        CheckNotMade(prefix, "The child's record, or the planned session, has problems the check cannot work around:", violations.Select(v => $"{v.Field}: {v.Description}"), ruleset);

    private JsonObject Card(string uuid, string summary, string detail, string indicator, RulesetIdentity? ruleset, IEnumerable<Citation> citations, bool overridable, bool made = true)
    {
        var card = new JsonObject
        {
            ["uuid"] = uuid,
            ["summary"] = summary,
            ["detail"] = detail,
            ["indicator"] = indicator,
            ["source"] = Source(ruleset, made),
        };
        var links = new JsonArray([.. citations
            .Where(c => Uri.TryCreate(c.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
            .DistinctBy(c => c.Url)
            .Take(MaxLinks)
            .Select(c => (JsonNode)new JsonObject { ["label"] = $"{c.Title} ({c.Year})", ["url"] = c.Url, ["type"] = "absolute" })]);
        if (links.Count > 0)
        {
            card["links"] = links;
        }

        if (overridable)
        {
            card["overrideReasons"] = new JsonArray([.. OverrideReasons.All.Select(r => (JsonNode)new JsonObject { ["system"] = r.System, ["code"] = r.Code, ["display"] = r.Display })]);
        }

        return card;
    }

    /// <summary>The <c>source.topic</c> code of a card from a check that was made (a decision).</summary>
    public const string TopicChecked = "massage-safety";

    /// <summary>The <c>source.topic</c> code of a card saying the check could not be made: an EHR can tell it from a verdict without reading text.</summary>
    public const string TopicNotMade = "massage-safety-check-not-made";

    private JsonObject Source(RulesetIdentity? ruleset, bool made)
    {
        var source = new JsonObject
        {
            ["label"] = ruleset is null ? "SafetyCheck paediatric massage rules" : $"SafetyCheck paediatric massage rules {ruleset.Version}",
        };
        if (!string.IsNullOrWhiteSpace(options.Value.SourceUrl))
        {
            source["url"] = options.Value.SourceUrl;
        }

        source["topic"] = made
            ? new JsonObject { ["system"] = "urn:safetycheck:cds-topic", ["code"] = TopicChecked, ["display"] = "Paediatric massage safety" }
            : new JsonObject { ["system"] = "urn:safetycheck:cds-topic", ["code"] = TopicNotMade, ["display"] = "Paediatric massage safety: check not made" };
        return source;
    }

    private static string IndicatorOf(Suitability outcome) => outcome switch
    {
        Suitability.NotSuitable => "critical",
        Suitability.ClinicianReviewRequired or Suitability.SuitableWithPrecautions => "warning",
        _ => "info",
    };

    private static string VerdictDetail(Assessment assessment, PlannedSession session, IReadOnlyList<IgnoredElement> notes, string footer)
    {
        var detail = new StringBuilder();
        detail.Append(CardText.WhatToDo(assessment.Suitability, assessment.Precautions.Count(p => p.Outcome == Suitability.Suitable))).Append("\n\n");
        if (assessment.Precautions.Count > 0)
        {
            // Guidance notes (INFO) limit nothing; a list of them alone is not called precautions.
            detail.Append(assessment.Precautions.All(p => p.Outcome == Suitability.Suitable)
                ? "**Guidance for the therapist:**\n\n"
                : "**Precautions**, most restrictive first:\n\n");
            foreach (var p in assessment.Precautions)
            {
                detail.Append(CultureInfo.InvariantCulture, $"- {(p.PlanConflict ? "**Plan conflict:** " : "")}{p.Summary} ({CardText.Words(p.Outcome)})\n");
            }

            detail.Append('\n');
        }

        var facts = assessment.Facts;
        detail.Append("**Child:** ").Append(CardFacts.Child(facts)).Append(".\n\n");
        detail.Append("**Session:** ").Append(Markdown.Escape(session.Label)).Append(", ").Append(Markdown.Escape(session.When));
        if (facts.SettingValue != Setting.Unspecified)
        {
            detail.Append(", ").Append(facts.Setting);
        }

        if (facts.PlannedAreas.Count > 0)
        {
            detail.Append(", areas ").Append(string.Join(", ", facts.PlannedAreas.Select(EnumNames.Of)));
        }

        if (facts.PlannedPressureValue != Pressure.Unspecified)
        {
            detail.Append(", ").Append(CardText.Words(facts.PlannedPressureValue)).Append(" pressure");
        }

        if (facts.MedicalRelease)
        {
            detail.Append(", released for massage by the care team");
        }

        detail.Append(".\n\n");
        if (session.Unstated.Count > 0)
        {
            detail.Append("**Not given for the session:**\n\n");
            foreach (var line in session.Unstated)
            {
                detail.Append("- ").Append(Markdown.Escape(line)).Append('\n');
            }

            detail.Append('\n');
        }

        detail.Append(CardText.WhatWasRead).Append("\n\n");
        if (assessment.Unrecognized.Count > 0)
        {
            detail.Append("**Codes the rules do not know:** ").Append(string.Join(", ", assessment.Unrecognized.Select(c => Markdown.Escape($"{c.System}|{c.Code}")))).Append("\n\n");
        }

        if (notes.Count > 0)
        {
            AppendNotes(detail, notes);
        }

        return detail.Append(footer).ToString();
    }

    /// <summary>
    /// The "not used from the record" list: every item counted, in the order given, items with the same reason on one
    /// line. Past <see cref="MaxNoteLines"/> lines, the rest are counted, never dropped silently.
    /// </summary>
    internal static void AppendNotes(StringBuilder detail, IReadOnlyList<IgnoredElement> notes)
    {
        var groups = notes.GroupBy(n => n.Reason, StringComparer.Ordinal).ToList();
        detail.Append(CultureInfo.InvariantCulture, $"**Not used from the record** ({notes.Count}):\n\n");
        foreach (var group in groups.Take(MaxNoteLines))
        {
            var paths = group.Select(n => n.Path).ToList();
            detail.Append("- ").Append(Markdown.Escape(string.Join(", ", paths.Take(MaxPathsPerLine))));
            if (paths.Count > MaxPathsPerLine)
            {
                detail.Append(CultureInfo.InvariantCulture, $" and {paths.Count - MaxPathsPerLine} more");
            }

            detail.Append(": ").Append(Markdown.Escape(group.Key)).Append('\n');
        }

        if (groups.Count > MaxNoteLines)
        {
            var rest = groups.Skip(MaxNoteLines).Sum(g => g.Count());
            detail.Append(CultureInfo.InvariantCulture, $"- and {rest} more item{(rest == 1 ? "" : "s")} for {groups.Count - MaxNoteLines} other reasons, not listed here: the same record through `eval --fhir` lists every one\n");
        }

        detail.Append('\n');
    }

    private static string PrecautionDetail(PrecautionResult precaution, ChildFacts facts, string footer)
    {
        var detail = new StringBuilder();
        if (precaution.PlanConflict)
        {
            detail.Append("**The planned session breaks this precaution.** Change the plan, or have the child's clinician review it.\n\n");
        }

        detail.Append(precaution.Detail).Append("\n\n");
        if (precaution.AvoidAreas.Count > 0)
        {
            detail.Append("**Avoid:** ").Append(string.Join(", ", precaution.AvoidAreas.Select(EnumNames.Of))).Append("\n\n");
        }

        if (precaution.MaxPressure != Pressure.Unspecified)
        {
            detail.Append("**Pressure:** at most ").Append(CardText.Words(precaution.MaxPressure)).Append("\n\n");
        }

        detail.Append(CultureInfo.InvariantCulture, $"**Evidence:** {Grade(precaution.Evidence)}. ");
        if (precaution.TriggeredBy.Count > 0)
        {
            detail.Append("**Because of:** ").Append(string.Join("; ", precaution.TriggeredBy.Select(t => Markdown.Escape(CardFacts.Trigger(t, facts))))).Append('.');
        }

        return detail.Append("\n\n").Append(footer).Append(CultureInfo.InvariantCulture, $" · rule `{precaution.RuleId}`").ToString();
    }

    private static string Grade(Evidence evidence) => string.IsNullOrEmpty(evidence.Grade) ? "not graded" : "grade " + evidence.Grade;

    private static string Footer(Decided decided)
    {
        var ruleset = decided.Assessment.Ruleset;
        var footer = $"Decision `{decided.DecisionId}` · rules {ruleset.Name} {ruleset.Version} (revision `{ruleset.Revision[..Math.Min(12, ruleset.Revision.Length)]}`)";
        return decided.Receipt is { } receipt ? footer + string.Create(CultureInfo.InvariantCulture, $" · audit record {receipt.Sequence}") : footer;
    }
}
