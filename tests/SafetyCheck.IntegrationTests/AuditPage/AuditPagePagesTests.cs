using System.Net;
using System.Text.RegularExpressions;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>What each page shows of <see cref="TwoRevisionTrail"/>, read over HTTP as a browser would.</summary>
[Collection(AuditPageTrailGroup.Name)]
public sealed partial class AuditPagePagesTests(AuditPageTrailHost fixture)
{
    private TwoRevisionTrail Trail => fixture.Trail;

    private IEnumerable<Protos.V1.CheckResponse> All => Trail.Before.Concat(Trail.After);

    [Fact]
    public async Task Decisions_NoFilter_ListsNewestFirstAndPagesWithoutGapsOrRepeats()
    {
        using var client = await fixture.SignedInAsync();
        var (response, html) = await client.GetAsync("/audit/decisions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = DecisionIds(html);
        Assert.Equal(40, ids.Count);
        Assert.Equal(All.Reverse().Select(r => r.DecisionId), ids);
        Assert.DoesNotContain("Older", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decisions_ByVerdictAndRule_ListOnlyThoseDecisions()
    {
        using var client = await fixture.SignedInAsync();
        var (_, notSuitable) = await client.GetAsync("/audit/decisions?verdict=NOT_SUITABLE");
        var (_, eczema) = await client.GetAsync("/audit/decisions?rule=eczema");
        var (_, both) = await client.GetAsync("/audit/decisions?verdict=SUITABLE_WITH_PRECAUTIONS&rule=eczema");

        Assert.Equal(All.Where(r => r.Suitability == Protos.V1.Suitability.NotSuitable).Select(r => r.DecisionId).Reverse(), DecisionIds(notSuitable));
        var fired = All.Where(r => r.Precautions.Any(p => p.RuleId == "eczema")).Select(r => r.DecisionId).Reverse().ToArray();
        Assert.Equal(2 * TwoRevisionTrail.Days, fired.Length);
        Assert.Equal(fired, DecisionIds(eczema));
        Assert.Equal(fired, DecisionIds(both));
    }

    [Fact]
    public async Task Decisions_ByCallerRevisionAndDays_ListOnlyThoseDecisions()
    {
        using var client = await fixture.SignedInAsync();
        var (_, clinical) = await client.GetAsync("/audit/decisions?caller=test-clinical-app");
        var revision = Trail.After[0].Ruleset.Revision;
        var (_, after) = await client.GetAsync($"/audit/decisions?revision={revision}");
        var day = TwoRevisionTrail.FirstDay.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (_, oneDay) = await client.GetAsync($"/audit/decisions?from={day}&to={day}");

        Assert.Equal(All.Where(r => r.RequestId.EndsWith("-3", StringComparison.Ordinal)).Select(r => r.DecisionId).Reverse(), DecisionIds(clinical));
        Assert.Equal(Trail.After.Select(r => r.DecisionId).Reverse(), DecisionIds(after));
        Assert.Equal(Trail.Before.Skip(TwoRevisionTrail.PerDay).Take(TwoRevisionTrail.PerDay).Select(r => r.DecisionId).Reverse(), DecisionIds(oneDay));
    }

    [Theory]
    [InlineData("verdict=MAYBE", "verdict")]
    [InlineData("from=2025-13-01", "from")]
    [InlineData("from=2025-06-03&to=2025-06-02", "to")]
    [InlineData("revision=abc", "revision")]
    [InlineData("page=bm90LWEtdG9rZW4", "page")]
    [InlineData("rule=fe%00ver", "rule")]
    [InlineData("rule=fever%01", "rule")]
    [InlineData("caller=a%00b", "caller")]
    [InlineData("page=n%3A2025-06-01T09%3A30%3A00.0000000Z%7Cno%00de%7C1", "page")]
    public async Task Decisions_BadFilter_SaysWhichFieldAndListsNothing(string query, string field)
    {
        using var client = await fixture.SignedInAsync();
        var (response, html) = await client.GetAsync("/audit/decisions?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field == "page" ? "that page link is not one this list made" : $"id=\"{field}-problem\"", html, StringComparison.Ordinal);
        Assert.Empty(DecisionIds(html));
    }

    [Fact]
    public async Task Decisions_SeveralBadFilters_SummaryAlertLinksEachFieldWithTheRejectedValue()
    {
        using var client = await fixture.SignedInAsync();
        var (response, html) = await client.GetAsync("/audit/decisions?from=2026-12-08&to=2026-12-07&revision=abc&verdict=MAYBE");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var summary = html[html.IndexOf("id=\"error-summary\"", StringComparison.Ordinal)..html.IndexOf("</div>", html.IndexOf("id=\"error-summary\"", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.Contains("role=\"alert\" id=\"error-summary\" tabindex=\"-1\" autofocus", html, StringComparison.Ordinal);
        Assert.Contains("3 filters are not acceptable", summary, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#to\">To (inclusive)</a>: <q>2026-12-07</q> must be on or after the first day", summary, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#revision\">Revision</a>: <q>abc</q> must be a rule revision: 64 lowercase hex digits", summary, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#verdict\">Verdict</a>: <q>MAYBE</q>", summary, StringComparison.Ordinal);

        // The selects show what was rejected rather than "Any", and the count says why nothing is listed.
        Assert.Contains("<option value=\"abc\" selected>abc (not an archived revision)</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"MAYBE\" selected>MAYBE (not a verdict)</option>", html, StringComparison.Ordinal);
        Assert.Contains("No decisions are listed until the filters above are corrected.", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"to\">To (inclusive)</label>", html, StringComparison.Ordinal);
        Assert.Empty(DecisionIds(html));
    }

    [Fact]
    public async Task Decision_ShowsVerdictFactsEvidenceTraceAndItsPlaceInTheChain()
    {
        using var client = await fixture.SignedInAsync();
        var eczema = Trail.Before[1];
        var (response, html) = await client.GetAsync("/audit/decisions/" + eczema.DecisionId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("SUITABLE_WITH_PRECAUTIONS", html, StringComparison.Ordinal);
        Assert.Contains("id=\"precaution-eczema\"", html, StringComparison.Ordinal);
        var rule = Core.Rules.RuleSetLoader.Load(Infrastructure.TestPaths.Rules).RuleSet!.Rules.Single(r => r.RuleId == "eczema");
        Assert.Contains($"Evidence grade <strong>{rule.Evidence.Grade}</strong>", html, StringComparison.Ordinal);
        Assert.All(rule.Evidence.Citations, c => Assert.Contains(WebUtility.HtmlEncode(c.Title), html, StringComparison.Ordinal));
        Assert.Contains(WebUtility.HtmlEncode(rule.Summary), html, StringComparison.Ordinal);
        Assert.Contains("<code>age_days</code>", html, StringComparison.Ordinal);
        Assert.Matches("Replayed on the archived revision: \\d+ rules, [1-9]\\d* fired", html);
        Assert.Contains($"{eczema.Audit.Sequence} of {All.Count()}", html, StringComparison.Ordinal);
        Assert.Contains(eczema.Audit.EntryHash, html, StringComparison.Ordinal);
        Assert.Contains("hashes to its entry hash", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_ShowsNoPatientIdentity()
    {
        using var client = await fixture.SignedInAsync();
        foreach (var response in new[] { Trail.Before[0], Trail.After[2] })
        {
            var (_, html) = await client.GetAsync("/audit/decisions/" + response.DecisionId);
            Assert.DoesNotContain(AuditRequests.PatientRef, html, StringComparison.Ordinal);
            Assert.DoesNotContain(AuditRequests.BirthDate, html, StringComparison.Ordinal);
            Assert.Contains("pseudonym ", html, StringComparison.Ordinal);
        }

        var (_, list) = await client.GetAsync("/audit/decisions");
        Assert.DoesNotContain(AuditRequests.PatientRef, list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_Replay_SaysMatchForBothRevisions()
    {
        using var client = await fixture.SignedInAsync();
        foreach (var decision in new[] { Trail.Before[1], Trail.After[1] })
        {
            await client.GetAsync("/audit/decisions/" + decision.DecisionId);
            var (response, html) = await client.PostAsync($"/audit/decisions/{decision.DecisionId}/replay");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("<strong>Match</strong>", html, StringComparison.Ordinal);
            Assert.Contains($"replays on revision {decision.Ruleset.Revision} with the same result", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Decision_Unknown_IsNotFound()
    {
        using var client = await fixture.SignedInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/audit/decisions/01970000-0000-7000-8000-000000000000")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/audit/decisions/not-an-id")).Response.StatusCode);
    }

    [Fact]
    public async Task Trail_Verify_RunsInTheBackgroundAndSaysVerified()
    {
        using var client = await fixture.SignedInAsync();
        var (_, trail) = await client.GetAsync("/audit/trail");
        Assert.Matches("<p id=\"service-verification\">The service[^<]* own verification [^<]*:\\s+full verification (running|passed)", trail);
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        Assert.Equal(HttpStatusCode.SeeOther, started.StatusCode);
        var page = started.Headers.Location!.OriginalString;

        var html = await AuditPageWaits.FinishedVerificationAsync(client, page);
        Assert.Contains("<strong>Verified</strong>: 40 records", html, StringComparison.Ordinal);
        var (status, json) = await client.GetAsync(page + "/status", "application/json");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("\"finished\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"checked\":40", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revisions_ListsBothInOrderOfFirstUse()
    {
        using var client = await fixture.SignedInAsync();
        var (_, html) = await client.GetAsync("/audit/revisions");

        var first = html.IndexOf(Trail.Before[0].Ruleset.Revision[..12], StringComparison.Ordinal);
        var second = html.IndexOf(Trail.After[0].Ruleset.Revision[..12], StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first);
        Assert.Contains($">20<span class=\"visually-hidden\"> decisions on {Trail.Before[0].Ruleset.Version}</span></a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revisions_Compare_ShowsTheEditedExpressionAndVersion()
    {
        using var client = await fixture.SignedInAsync();
        var (response, html) = await client.GetAsync($"/audit/revisions/compare?from={Trail.Before[0].Ruleset.Revision}&to={Trail.After[0].Ruleset.Revision}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 rules changed, 0 added, 0 removed", html, StringComparison.Ordinal);
        Assert.Contains("id=\"change-eczema\"", html, StringComparison.Ordinal);
        Assert.Contains("child.Has(&quot;eczema&quot;) &amp;&amp; child.AgeMonths &gt;= 6", html, StringComparison.Ordinal);
        Assert.Contains("<code>infection-and-skin.json</code>: changed", html, StringComparison.Ordinal);
        Assert.Contains("<code>ruleset.json</code>: changed", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=abc&to=AFTER", "from")]
    [InlineData("from=BEFORE&to=xyz", "to")]
    [InlineData("from=BEFORE", "to")]
    [InlineData("to=AFTER", "from")]
    [InlineData("from=BEFORE&to=AFTER%00", "to")]
    [InlineData("from=abc&to=xyz", "from", "to")]
    public async Task Revisions_Compare_BadRevision_BadRequestNamingTheParameter(string query, params string[] named)
    {
        using var client = await fixture.SignedInAsync();
        var (response, html) = await client.GetAsync("/audit/revisions/compare?" + query
            .Replace("BEFORE", Trail.Before[0].Ruleset.Revision, StringComparison.Ordinal)
            .Replace("AFTER", Trail.After[0].Ruleset.Revision, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        foreach (var parameter in (string[])["from", "to"])
        {
            var message = $"{parameter}: must be a rule revision (64 lowercase hex digits).";
            if (named.Contains(parameter))
            {
                Assert.Contains(message, html, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain(message, html, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Revision_ShowsEveryRuleWithItsExpression()
    {
        using var client = await fixture.SignedInAsync();
        var (response, html) = await client.GetAsync("/audit/revisions/" + Trail.After[0].Ruleset.Revision);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"rule-eczema\"", html, StringComparison.Ordinal);
        Assert.Contains(TwoRevisionTrail.EditedVersion, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pictures_ShowVerdictsPerDayAndTheRuleThatWentSilent()
    {
        using var client = await fixture.SignedInAsync();
        var first = TwoRevisionTrail.FirstDay;
        var (response, html) = await client.GetAsync($"/audit/pictures?from={first:yyyy-MM-dd}&to={first.AddDays(9):yyyy-MM-dd}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<svg id=\"verdicts-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"firings-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("40 decisions from", html, StringComparison.Ordinal);
        Assert.Matches($"<code>eczema</code> went silent: it fired in 8 of 20 decisions on {Regex.Escape(Trail.Before[0].Ruleset.Version)} · [0-9a-f]{{8}}, and in none of 20 on {Regex.Escape(TwoRevisionTrail.EditedVersion)}", WebUtility.HtmlDecode(html));
        Assert.DoesNotContain("<code>fever</code> went silent", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/audit/signin")]
    [InlineData("/audit/decisions")]
    [InlineData("/audit/trail")]
    [InlineData("/audit/revisions")]
    [InlineData("/audit/pictures")]
    public async Task Page_HasSecurityHeadersAndNoInlineScriptOrStyle(string path)
    {
        using var client = await fixture.SignedInAsync();
        var (response, html) = await client.GetAsync(path);
        var decision = (await client.GetAsync("/audit/decisions/" + Trail.Before[1].DecisionId)).Html;

        Assert.Equal(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        foreach (var page in new[] { html, decision })
        {
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=\"/audit/assets/)", page);
            Assert.DoesNotMatch("\\sstyle=|<style|\\son[a-z]+=", page);
            Assert.DoesNotMatch("<(script|img|link|iframe)[^>]*\\s(src|href)=\"(https?:)?//", page);
        }
    }

    [Theory]
    [InlineData("signin")]
    [InlineData("decisions")]
    [InlineData("decisions with bad filters")]
    [InlineData("decision")]
    [InlineData("replayed decision")]
    [InlineData("trail")]
    [InlineData("verification")]
    [InlineData("revisions")]
    [InlineData("revision")]
    [InlineData("compared revisions")]
    [InlineData("pictures")]
    [InlineData("pictures of a bad period")]
    public async Task Page_IsStructuredForAssistiveTechnology(string which)
    {
        using var client = which == "signin" ? AuditPageHosts.Client(fixture.Host) : await fixture.SignedInAsync();
        var (before, after) = (Trail.Before[0].Ruleset.Revision, Trail.After[0].Ruleset.Revision);
        var first = TwoRevisionTrail.FirstDay;
        var decision = "/audit/decisions/" + Trail.Before[1].DecisionId;
        var html = which switch
        {
            "signin" => (await client.GetAsync("/audit/signin")).Html,
            "decisions" => (await client.GetAsync("/audit/decisions")).Html,
            "decisions with bad filters" => (await client.GetAsync("/audit/decisions?from=2026-12-08&to=2026-12-07&revision=abc")).Html,
            "decision" => (await client.GetAsync(decision)).Html,
            "replayed decision" => await ReplayedAsync(client, decision),
            "trail" => (await client.GetAsync("/audit/trail")).Html,
            "verification" => await VerifiedAsync(client),
            "revisions" => (await client.GetAsync("/audit/revisions")).Html,
            "revision" => (await client.GetAsync("/audit/revisions/" + after)).Html,
            "compared revisions" => (await client.GetAsync($"/audit/revisions/compare?from={before}&to={after}")).Html,
            "pictures" => (await client.GetAsync($"/audit/pictures?from={first:yyyy-MM-dd}&to={first.AddDays(9):yyyy-MM-dd}")).Html,
            _ => (await client.GetAsync("/audit/pictures?from=yesterday&to=today")).Html,
        };

        var page = HtmlAccessibility.AssertStructure(html, which);
        Assert.Equal("#main", page.QuerySelector("body > a")?.GetAttribute("href"));
        Assert.Equal("main", page.GetElementById("main")?.LocalName);
        Assert.NotNull(page.QuerySelector("body > header"));
        Assert.NotNull(page.QuerySelector("body > footer"));
        if (which == "decisions with bad filters")
        {
            Assert.Equal("true", page.GetElementById("revision")!.GetAttribute("aria-invalid"));
            Assert.Equal("revision-problem", page.GetElementById("revision")!.GetAttribute("aria-describedby"));
        }
        else if (which == "pictures of a bad period")
        {
            Assert.Equal("alert", page.GetElementById("period-problem")!.GetAttribute("role"));
            Assert.All(["from", "to"], id => Assert.Equal("period-problem", page.GetElementById(id)!.GetAttribute("aria-describedby")));
        }
        else if (which == "pictures")
        {
            Assert.Equal(2, page.QuerySelectorAll("svg[role=img]").Length);
            var verdicts = page.GetElementById("verdicts-chart")!;
            Assert.Contains("NOT_SUITABLE (cross-hatched)", verdicts.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);

            // Every verdict but SUITABLE is told apart by a texture laid over its colour, in the legend and on the bars.
            foreach (var texture in (string[])["suitable-with-precautions", "clinician-review-required", "not-suitable"])
            {
                Assert.NotNull(verdicts.QuerySelector($"defs pattern#verdicts-chart-texture-{texture}"));
                Assert.True(verdicts.QuerySelectorAll($"rect.texture[fill='url(#verdicts-chart-texture-{texture})']").Length >= 1, texture);
            }

            Assert.Null(verdicts.QuerySelector("defs pattern#verdicts-chart-texture-suitable"));
        }
    }

    private static async Task<string> ReplayedAsync(PageClient client, string decision)
    {
        await client.GetAsync(decision);
        return (await client.PostAsync(decision + "/replay")).Html;
    }

    private static async Task<string> VerifiedAsync(PageClient client)
    {
        await client.GetAsync("/audit/trail");
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        return await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("audit.css", "text/css")]
    [InlineData("audit.js", "text/javascript")]
    [InlineData("icon.svg", "image/svg+xml")]
    public async Task Asset_IsServedFromTheExecutableWithoutSignIn(string name, string type)
    {
        using var client = AuditPageHosts.Client(fixture.Host);
        var (response, body) = await client.GetAsync("/audit/assets/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(type, response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/audit/assets/other.js")).Response.StatusCode);
    }

    private static List<string> DecisionIds(string html) =>
        [.. DecisionLink().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<td><a href=\"/audit/decisions/([0-9a-f-]{36})\"")]
    private static partial Regex DecisionLink();
}
