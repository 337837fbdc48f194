using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SafetyCheck.CdsHooks;
using SafetyCheck.Fhir.Mapping;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>What a clinician reads on the cards: the session's date, the verdict first, the evidence with its values, what was and was not read.</summary>
public sealed class CdsHooksCardContentTests
{
    private const string Child = "synthetic-cds-card-01";

    private static JsonObject[] Cards(JsonObject body) => [.. body["cards"]!.AsArray().Select(c => c!.AsObject())];

    [Fact]
    public async Task TwoSessions_SummaryEndsWithTheSessionsLocalDateAndTime_NotTheUtcDate()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        // 23:30 UTC on 1 July is 00:30 on 2 July in Europe/London (BST): the session is decided on 2 July.
        var call = AppointmentBook(
            Child,
            Prefetch(Patient(Child, "2018-05-10")),
            Appointment("late", Child, "2026-07-01T23:30:00Z", "HOME", "LIGHT", "BACK"),
            Appointment("next", Child, "2026-07-03T10:00:00+01:00", "HOME", "LIGHT", "BACK"));

        var (status, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Equal(HttpStatusCode.OK, status);
        var summaries = Cards(body).Select(c => (string)c["summary"]!).ToArray();
        Assert.Contains(summaries, s => s.StartsWith("Massage is suitable", StringComparison.Ordinal) && s.EndsWith("(session 2026-07-02 00:30)", StringComparison.Ordinal));
        Assert.Contains(summaries, s => s.StartsWith("Massage is suitable", StringComparison.Ordinal) && s.EndsWith("(session 2026-07-03 10:00)", StringComparison.Ordinal));
        Assert.DoesNotContain(summaries, s => s.Contains("Appointment/", StringComparison.Ordinal));
        var late = Cards(body).First(c => ((string)c["summary"]!).EndsWith("(session 2026-07-02 00:30)", StringComparison.Ordinal));
        Assert.Contains("**Session:** Appointment/late, 2026-07-02 00:30", (string)late["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSessions_LongResourceId_VerdictStaysAtTheFrontOfTheSummary()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var longId = "eWLhfjXHp4" + new string('Q', 50) + "A3";
        var call = AppointmentBook(
            Child,
            Prefetch(Patient(Child, "2018-05-10"), [Condition("fever", Child, Icd10, "R50.9")]),
            Appointment(longId, Child, "2026-03-02T10:00:00Z", "HOME", "LIGHT", "BACK"),
            Appointment("other", Child, "2026-03-09T10:00:00Z", "HOME", "LIGHT", "BACK"));

        var (_, body) = await cds.CallAsync("massage-safety-appointment", call);

        var verdicts = Cards(body).Where(c => ((string)c["summary"]!).StartsWith("Massage is not suitable", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, verdicts.Length);
        Assert.All(Cards(body), c => Assert.True(((string)c["summary"]!).Length < 140));
        Assert.EndsWith("(session 2026-03-02 10:00)", (string)verdicts[0]["summary"]!, StringComparison.Ordinal);
        Assert.Contains($"Appointment/{longId}", (string)verdicts[0]["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_TooLong_ShortensTheTextAndKeepsTheSession()
    {
        var text = CardText.Summary("session 2026-03-02 19:30", new string('x', 200));

        Assert.Equal(CardText.MaxSummary, text.Length);
        Assert.EndsWith("… (session 2026-03-02 19:30)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suitable_SummaryClaimsOnlyWhatWasRead_DetailSaysWhatWasNotRead()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook(Child, Prefetch(Patient(Child, "2018-01-10")), Appointment("apt", Child, CdsHooksCalls.Start, "OUTPATIENT", "LIGHT", "BACK"));

        var (_, body) = await cds.CallAsync("massage-safety-appointment", call);

        var verdict = Cards(body)[0];
        Assert.Equal("Massage is suitable: no precautions found in the conditions and observations read", (string?)verdict["summary"]);
        var detail = (string)verdict["detail"]!;
        Assert.Contains("**What it did not read:** immunisations (Immunization), procedures (Procedure)", detail, StringComparison.Ordinal);
        Assert.Contains("AllergyIntolerance", detail, StringComparison.Ordinal);
        Assert.Contains("MedicationRequest", detail, StringComparison.Ordinal);
        Assert.Contains("child, 8 years old", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("days old", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Not given for the session", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotSuitable_DetailAlsoSaysWhatWasNotRead()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook(Child, Prefetch(Patient(Child, "2018-01-10"), [Condition("fever", Child, Icd10, "R50.9")]), Appointment("apt", Child, CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));

        var (_, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Contains(CardText.WhatWasRead, (string)Cards(body)[0]["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainAppointment_CardSaysWhichSessionDetailsWereNotGivenAndWhatThatMeans()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook(Child, Prefetch(Patient(Child, "2018-01-10")), Appointment("plain", Child, CdsHooksCalls.Start));

        var (_, body) = await cds.CallAsync("massage-safety-appointment", call);

        var detail = (string)Cards(body)[0]["detail"]!;
        Assert.Contains("**Not given for the session:**", detail, StringComparison.Ordinal);
        Assert.Contains("Setting: not given on Appointment/plain", detail, StringComparison.Ordinal);
        Assert.Contains("rules for a NICU or a ward (inpatient) session could not apply", detail, StringComparison.Ordinal);
        Assert.Contains("Body areas: not given on Appointment/plain", detail, StringComparison.Ordinal);
        Assert.Contains("no plan conflict could be found", detail, StringComparison.Ordinal);
        Assert.Contains("Pressure: not given on Appointment/plain", detail, StringComparison.Ordinal);
        Assert.Contains("Medical release: not given on Appointment/plain", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainAppointment_WithDefaultSetting_CardSaysTheDefaultWasUsed()
    {
        await using var cds = await CdsHooksTestHost.StartAsync(args: "--SafetyCheck:CdsHooks:DefaultSetting=OUTPATIENT");
        var call = AppointmentBook(Child, Prefetch(Patient(Child, "2018-01-10")), Appointment("plain", Child, CdsHooksCalls.Start));

        var (_, body) = await cds.CallAsync("massage-safety-appointment", call);

        var detail = (string)Cards(body)[0]["detail"]!;
        Assert.Contains("checked as OUTPATIENT, the service's default (DefaultSetting)", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Medical release: not given", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeverFromTemperature_PrecautionCardNamesTheTemperatureWithItsValue()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook(
            Child,
            Prefetch(Patient(Child, "2018-01-10"), temperature: Observation("t1", Child, "8310-5", 38.4, "Cel", "2026-03-02T08:00:00Z")),
            Appointment("apt", Child, CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));

        var (_, body) = await cds.CallAsync("massage-safety-appointment", call);

        var details = Cards(body).Skip(1).Select(c => (string)c["detail"]!).ToArray();
        Assert.Contains(details, d => d.Contains("**Because of:** body temperature 38.4 °C.", StringComparison.Ordinal));
        Assert.DoesNotContain(details, d => d.Contains("child.TemperatureCelsius", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConditionTrigger_ShownWithStatusAndOnset()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var call = AppointmentBook(
            Child,
            Prefetch(Patient(Child, "2018-01-10"), [Condition("fever", Child, Icd10, "R50.9", onset: "2026-03-01")]),
            Appointment("apt", Child, CdsHooksCalls.Start, "HOME", "LIGHT", "BACK"));

        var (_, body) = await cds.CallAsync("massage-safety-appointment", call);

        Assert.Contains(Cards(body).Skip(1), c => ((string)c["detail"]!).Contains("(active, onset 2026-03-01)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PretermBabyBeforeTheDueDate_CardShowsPostmenstrualAgeInWeeks()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        // Born 2026-01-26 at 32+4 weeks: on 2026-03-02, 35 days old, postmenstrual age 37+4 weeks.
        var (_, body) = await cds.CallAsync("massage-safety-order", CdsHooksCalls.All[1].Call());

        var detail = (string)Cards(body)[0]["detail"]!;
        Assert.Contains("5 weeks old (postmenstrual age 37+4 weeks, before the due date), born at 32+4 weeks", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("days corrected", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 0, "0 days")]
    [InlineData(27, 0, 0, "27 days")]
    [InlineData(35, 1, 0, "5 weeks")]
    [InlineData(38, 1, 0, "5 weeks 3 days")]
    [InlineData(200, 6, 0, "6 months")]
    [InlineData(800, 26, 2, "2 years 2 months")]
    [InlineData(3066, 100, 8, "8 years")]
    public void Age_AsAClinicianWritesIt(int days, int months, int years, string expected) =>
        Assert.Equal(expected, CardFacts.Age(days, months, years));

    [Fact]
    public void NotUsedList_SameReasonsShareALine_NothingDroppedUncounted()
    {
        var notes = new List<IgnoredElement>
        {
            new("Observation/panel", "a temperature panel: its components are not read"),
        };
        notes.AddRange(Enumerable.Range(0, 30).Select(i => new IgnoredElement($"Observation/t{i}", "not taken on the session date (2026-03-02)")));
        notes.Add(new("Condition/fracture", "no code the rules know (a local code only)"));
        var detail = new StringBuilder();

        CdsCards.AppendNotes(detail, notes);

        var text = detail.ToString();
        Assert.Contains("**Not used from the record** (32):", text, StringComparison.Ordinal);
        Assert.Contains("Observation/panel: a temperature panel", text, StringComparison.Ordinal);
        Assert.Contains("Observation/t0, Observation/t1, Observation/t2, Observation/t3, Observation/t4, Observation/t5 and 24 more: not taken on the session date", text, StringComparison.Ordinal);
        Assert.Contains("Condition/fracture: no code the rules know", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("Observation/panel", StringComparison.Ordinal) < text.IndexOf("Condition/fracture", StringComparison.Ordinal));
    }

    [Fact]
    public void NotUsedList_MoreReasonsThanLines_RestCountedAndWhereToSeeThem()
    {
        var notes = Enumerable.Range(0, CdsCards.MaxNoteLines + 5).Select(i => new IgnoredElement($"Condition/c{i}", $"reason {i}")).ToList();
        var detail = new StringBuilder();

        CdsCards.AppendNotes(detail, notes);

        var text = detail.ToString();
        Assert.Contains($"Condition/c{CdsCards.MaxNoteLines - 1}: reason", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"Condition/c{CdsCards.MaxNoteLines}:", text, StringComparison.Ordinal);
        Assert.Contains("- and 5 more items for 5 other reasons, not listed here: the same record through `eval --fhir` lists every one", text, StringComparison.Ordinal);
    }
}
