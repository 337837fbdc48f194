using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;

using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// The trail page against a changed database: records edited or removed behind the service's back, as someone with
/// the file would (the README's tamper demo), while the service runs.
/// </summary>
public sealed class AuditPageTamperTests(TwoRevisionTrail trail) : IClassFixture<TwoRevisionTrail>
{
    [Fact]
    public async Task Verify_RecordChangedWhileServing_NamesTheFirstBadSequenceAndReplayShowsTheDifference()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        ExpectsRefusal(host);
        using var client = await AuditPageHosts.SignedInAsync(host);
        var fever = trail.Before[2];
        var sequence = (long)fever.Audit.Sequence;
        Assert.Equal(Protos.V1.Suitability.NotSuitable, fever.Suitability);
        Assert.Equal(1, AuditTampering.Execute(copy.DatabasePath,
            $"UPDATE entries SET record = replace(record, '\"verdict\":\"NOT_SUITABLE\"', '\"verdict\":\"SUITABLE\"') WHERE sequence = {sequence};"));

        await client.GetAsync("/audit/trail");
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        var html = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);

        Assert.Contains("<strong>FAILED</strong>", html, StringComparison.Ordinal);
        Assert.Contains($"First bad sequence: <strong>{sequence}</strong>", html, StringComparison.Ordinal);
        Assert.Contains($"sequence {sequence}: the record does not hash to its entry_hash: it was changed", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/audit/decisions/{fever.DecisionId}\"", html, StringComparison.Ordinal);

        var (_, decision) = await client.GetAsync("/audit/decisions/" + fever.DecisionId);
        Assert.Contains("does NOT hash to its entry hash: it was changed", decision, StringComparison.Ordinal);
        var (_, replay) = await client.PostAsync($"/audit/decisions/{fever.DecisionId}/replay");
        Assert.Contains("<strong>Differs</strong>", replay, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\"><code>verdict</code></th><td>SUITABLE</td><td>NOT_SUITABLE</td>", replay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trail_LatestCheckpoint_IsShownAndVerifiedThenATruncatedTailIsNamed()
    {
        using var copy = trail.Copy();
        var checkpoints = Directory.CreateDirectory(copy.File("checkpoints")).FullName;
        // The signing key is kept away from the database's folder (the service refuses a key there).
        using var keyFolder = new TempAuditFolder();
        var keyPath = keyFolder.File("checkpoint-key.pem");
        using (var key = CheckpointKeyFile.LoadOrCreate(keyPath))
        {
            var head = await new SqliteAuditReader(copy.DatabasePath).HeadAsync();
            var older = Checkpoint.Create("test", new SafetyCheck.Audit.Storage.AuditHead(10, "0".PadLeft(64, '0')), TwoRevisionTrail.FirstDay.ToDateTime(TimeOnly.MinValue), key);
            File.WriteAllText(Path.Combine(checkpoints, "2025-06-01.txt"), older.ToText());
            File.WriteAllText(Path.Combine(checkpoints, "2025-06-09.txt"), Checkpoint.Create("test", head, DateTimeOffset.Parse("2025-06-09T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), key).ToText());
            File.WriteAllText(Path.Combine(checkpoints, "notes.txt"), "not a checkpoint");
        }

        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath, $"--SafetyCheck:Audit:CheckpointKeyPath={keyPath}");
        ExpectsRefusal(host);
        using var client = await AuditPageHosts.SignedInAsync(host);
        var (_, trailPage) = await client.GetAsync("/audit/trail");
        Assert.Contains("2025-06-09 00:00:00 UTC", trailPage, StringComparison.Ordinal);
        Assert.Contains("not checked yet", trailPage, StringComparison.Ordinal);

        var (started, _) = await client.PostAsync("/audit/trail/verify");
        var ok = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);
        Assert.Contains("consistent with the checkpoint", ok, StringComparison.Ordinal);
        Assert.Contains("yes, verified", (await client.GetAsync("/audit/trail")).Html, StringComparison.Ordinal);

        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence > 38;");
        await client.GetAsync("/audit/trail");
        (started, _) = await client.PostAsync("/audit/trail/verify");
        var truncated = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);
        Assert.Contains("First bad sequence: <strong>39</strong>", truncated, StringComparison.Ordinal);
        Assert.Contains("its tail was truncated", truncated, StringComparison.Ordinal);
        Assert.Contains("NO: sequence 39", (await client.GetAsync("/audit/trail")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Version2CheckpointSignedByTheCli_ATruncatedTailFailsAsAuditVerifyDoes()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = Path.Combine(Directory.CreateDirectory(copy.File("checkpoints")).FullName, "2025-06-09.txt");
        var signed = await CliRun.InvokeAsync(["audit", "checkpoint", "--key", keys.File("k.pem"), "--output", checkpoint, "--audit-db", copy.DatabasePath]);
        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.StartsWith(Checkpoint.HeaderV2 + "\n", await File.ReadAllTextAsync(checkpoint), StringComparison.Ordinal);

        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath, $"--SafetyCheck:AuditPage:CheckpointPublicKeyFile={keys.File("k.pub.pem")}");
        ExpectsRefusal(host);
        await host.SettledAsync();
        using var client = await AuditPageHosts.SignedInAsync(host);
        var (_, trailPage) = await client.GetAsync("/audit/trail");
        Assert.DoesNotContain("id=\"no-checkpoint\"", trailPage, StringComparison.Ordinal);
        Assert.Contains("(2025-06-09.txt)", trailPage, StringComparison.Ordinal);
        Assert.Contains("when signed (checkpoint version 2)", trailPage, StringComparison.Ordinal);

        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence > 20;");
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        var page = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);
        var cli = await CliRun.InvokeAsync(["audit", "verify", "--checkpoint", checkpoint, "--public-key", keys.File("k.pub.pem"), "--audit-db", copy.DatabasePath]);

        Assert.True(cli.ExitCode == 2, cli.ToString());
        Assert.Contains("<strong>FAILED</strong>", page, StringComparison.Ordinal);
        Assert.Contains("First bad sequence: <strong>21</strong>", page, StringComparison.Ordinal);
        Assert.Contains(FailureOf(cli), page, StringComparison.Ordinal);
        Assert.Contains("its tail was truncated", FailureOf(cli), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TailCutBelowTheLastVerifiedPointWithoutACheckpoint_FailsAsAuditVerifyDoes()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        ExpectsRefusal(host);

        // Settled: the start-up verification has recorded the head as a verified point.
        await host.SettledAsync();
        using var client = await AuditPageHosts.SignedInAsync(host);
        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence > 20;");

        await client.GetAsync("/audit/trail");
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        var page = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);
        var cli = await CliRun.InvokeAsync(["audit", "verify", "--audit-db", copy.DatabasePath]);

        Assert.True(cli.ExitCode == 2, cli.ToString());
        Assert.Contains("<strong>FAILED</strong>", page, StringComparison.Ordinal);
        Assert.Contains("First bad sequence: <strong>21</strong>", page, StringComparison.Ordinal);
        Assert.Contains("verified before", page, StringComparison.Ordinal);
        Assert.Contains(FailureOf(cli), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ArchivedRuleFileChangedWhileServing_FailsNamingTheRevisionAndFileAsAuditVerifyDoes()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        ExpectsRefusal(host);
        await host.SettledAsync();
        using var client = await AuditPageHosts.SignedInAsync(host);
        Assert.Equal(2, AuditTampering.Execute(copy.DatabasePath,
            "UPDATE revision_files SET content = CAST(replace(CAST(content AS TEXT), 'fragrance-free emollient', 'scented lotion') AS BLOB) WHERE path = 'infection-and-skin.json';"));

        await client.GetAsync("/audit/trail");
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        var page = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);
        var cli = await CliRun.InvokeAsync(["audit", "verify", "--audit-db", copy.DatabasePath]);

        Assert.True(cli.ExitCode == 2, cli.ToString());
        var revision = cli.Output.Split('\n').Single(l => l.StartsWith("revision: ", StringComparison.Ordinal))["revision: ".Length..];
        Assert.Contains("<strong>FAILED</strong>", page, StringComparison.Ordinal);
        Assert.Contains(FailureOf(cli), page, StringComparison.Ordinal);
        Assert.Contains($"revision {revision}: archived file infection-and-skin.json was changed", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/audit/revisions/{revision}\"><code>{revision}</code></a>", page, StringComparison.Ordinal);
        Assert.Contains("<dt>File</dt><dd><code>infection-and-skin.json</code></dd>", page, StringComparison.Ordinal);
        Assert.Contains("the archive of rule revisions does not (ArchivedRevisionAltered)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trail_WithoutACheckpoint_ShowsASigningCommandThatWorks()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        using var client = await AuditPageHosts.SignedInAsync(host);
        var (_, trailPage) = await client.GetAsync("/audit/trail");
        var shown = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(
            trailPage, "<code[^>]*>safetycheck (audit checkpoint [^<]+)</code>", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value);
        using var home = new TempAuditFolder();

        // As a shell would expand it: ~ is the home directory, $(date +%F) the day.
        var args = shown.Replace("~", home.Path, StringComparison.Ordinal).Replace("$(date +%F)", "2025-06-09", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var run = await CliRun.InvokeAsync([.. args, "--audit-db", copy.DatabasePath]);

        Assert.StartsWith("audit checkpoint ", shown, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(copy.File(Path.Combine("checkpoints", "2025-06-09.txt"))));
    }

    [Fact]
    public async Task Verify_WhileOneRuns_GivesTheRunningOne()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        using var client = await AuditPageHosts.SignedInAsync(host);
        await client.GetAsync("/audit/trail");
        var (first, _) = await client.PostAsync("/audit/trail/verify");
        var (second, _) = await client.PostAsync("/audit/trail/verify");

        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        var html = await AuditPageWaits.FinishedVerificationAsync(client, second.Headers.Location!.OriginalString);
        Assert.Contains("<strong>Verified</strong>", html, StringComparison.Ordinal);
        Assert.NotNull(first.Headers.Location);
    }

    [Fact]
    public async Task Decision_RecordAndVerdictColumnChanged_WarnsAboveAnUntrustedVerdict_AndTheListFlagsTheRow()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        await host.SettledAsync();
        using var client = await AuditPageHosts.SignedInAsync(host);
        var fever = trail.Before[2];
        var sequence = (long)fever.Audit.Sequence;
        Assert.Equal(1, AuditTampering.Execute(copy.DatabasePath,
            $"UPDATE entries SET record = replace(record, '\"verdict\":\"NOT_SUITABLE\"', '\"verdict\":\"SUITABLE\"'), verdict = 'SUITABLE' WHERE sequence = {sequence};"));

        var (_, html) = await client.GetAsync("/audit/decisions/" + fever.DecisionId);
        var alert = html.IndexOf("role=\"alert\" id=\"changed-alert\"", StringComparison.Ordinal);
        Assert.True(alert >= 0, html);
        Assert.True(alert < html.IndexOf("id=\"verdict\"", StringComparison.Ordinal), "the warning comes before the verdict");
        Assert.Contains("This record was changed after it was recorded: do not rely on it.", html, StringComparison.Ordinal);
        Assert.Contains($"sequence {sequence}: the record no longer hashes to its entry_hash: it was changed", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"verdict untrusted\" id=\"verdict\">SUITABLE</span>", html, StringComparison.Ordinal);
        Assert.Contains("as the changed record says: not trustworthy", html, StringComparison.Ordinal);
        Assert.DoesNotContain("v-suitable\" id=\"verdict\"", html, StringComparison.Ordinal);

        var row = RowOf((await client.GetAsync("/audit/decisions?verdict=SUITABLE")).Html, fever.DecisionId);
        Assert.Contains("<span class=\"verdict untrusted\">SUITABLE</span>", row, StringComparison.Ordinal);
        Assert.Contains("changed after it was recorded", row, StringComparison.Ordinal);

        // A decision nobody changed is shown as before.
        var (_, untouched) = await client.GetAsync("/audit/decisions/" + trail.Before[0].DecisionId);
        Assert.DoesNotContain("changed-alert", untouched, StringComparison.Ordinal);
        Assert.Contains("<span class=\"verdict v-suitable\" id=\"verdict\">SUITABLE</span>", untouched, StringComparison.Ordinal);
        Assert.DoesNotContain("changed after it was recorded", RowOf((await client.GetAsync("/audit/decisions")).Html, trail.Before[0].DecisionId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_OnlyItsVerdictColumnChanged_WarnsNamingTheColumnAndBothValues()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        await host.SettledAsync();
        using var client = await AuditPageHosts.SignedInAsync(host);
        var fever = trail.Before[2];
        Assert.Equal(1, AuditTampering.Execute(copy.DatabasePath, $"UPDATE entries SET verdict = 'SUITABLE' WHERE sequence = {fever.Audit.Sequence};"));

        var (_, html) = await client.GetAsync("/audit/decisions/" + fever.DecisionId);
        var alert = html.IndexOf("role=\"alert\" id=\"changed-alert\"", StringComparison.Ordinal);
        Assert.True(alert >= 0 && alert < html.IndexOf("id=\"verdict\"", StringComparison.Ordinal), html);
        Assert.Contains("<code>verdict</code> column says <strong>SUITABLE</strong> but the record says <strong>NOT_SUITABLE</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"verdict untrusted\" id=\"verdict\">NOT_SUITABLE</span>", html, StringComparison.Ordinal);

        // The list reads the column, so the decision is listed under SUITABLE: flagged there.
        var row = RowOf((await client.GetAsync("/audit/decisions?verdict=SUITABLE")).Html, fever.DecisionId);
        Assert.Contains("changed after it was recorded", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FailsOnThisServicesChain_RefusesTheChainAsTheBackgroundVerificationDoes()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        ExpectsRefusal(host);
        await host.SettledAsync();
        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        using var client = await AuditPageHosts.SignedInAsync(host);
        var fever = trail.Before[2];
        AuditTampering.Execute(copy.DatabasePath,
            $"UPDATE entries SET record = replace(record, '\"verdict\":\"NOT_SUITABLE\"', '\"verdict\":\"SUITABLE\"') WHERE sequence = {fever.Audit.Sequence};");

        await client.GetAsync("/audit/trail");
        var (started, _) = await client.PostAsync("/audit/trail/verify");
        var html = await AuditPageWaits.FinishedVerificationAsync(client, started.Headers.Location!.OriginalString);

        Assert.Contains("<strong>FAILED</strong>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"chain-refused\"", html, StringComparison.Ordinal);
        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        var head = await new SqliteAuditReader(copy.DatabasePath).HeadAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.CheckAsync(AuditRequests.Infant("after-the-page-failed")));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(head, await new SqliteAuditReader(copy.DatabasePath).HeadAsync());
        Assert.Equal((long)fever.Audit.Sequence, host.Services.GetRequiredService<AuditChainVerification>().Result!.FirstBadSequence);
        Assert.Equal(LogLevel.Error, Assert.Single(host.Logs.Entries, e => e.EventId.Id == 715).Level);
        Assert.Equal(LogLevel.Critical, Assert.Single(host.Logs.Entries, e => e.EventId.Id == 336).Level);
    }

    /// <summary>A failed verification refuses the chain: the test declares the errors that logs.</summary>
    private static void ExpectsRefusal(TestServerHost host)
    {
        host.Logs.Expect("SafetyCheck.Audit", "refused");
        host.Logs.Expect("SafetyCheck.AuditPage", "FAILED");
    }

    /// <summary>The list's table row that links to <paramref name="decisionId"/>.</summary>
    private static string RowOf(string html, string decisionId)
    {
        var at = html.IndexOf("/audit/decisions/" + decisionId + "\"", StringComparison.Ordinal);
        Assert.True(at >= 0, "the decision is listed");
        var start = html.LastIndexOf("<tr", at, StringComparison.Ordinal);
        return html[start..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    /// <summary>What <c>audit verify</c> printed after <c>FAILED: </c>.</summary>
    private static string FailureOf(CliRun run) =>
        run.Output.Split('\n').Single(l => l.StartsWith("FAILED: ", StringComparison.Ordinal))["FAILED: ".Length..];
}
