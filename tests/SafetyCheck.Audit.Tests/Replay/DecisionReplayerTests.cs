using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Replay;

public class DecisionReplayerTests
{
    [Fact]
    public async Task Replay_OnTheArchivedRevision_Matches()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var records = new List<DecisionRecord>();
        foreach (var codes in new[] { Array.Empty<string>(), ["R50.9"], ["L20.9"], ["R50.9", "L20.9", "Q99.9"] })
        {
            var draft = Draft(codes);
            await store.AppendAsync(draft);
            records.Add((await store.GetAsync(draft.DecisionId))!.ToRecord());
        }

        var replayer = new DecisionReplayer(new SqliteAuditReader(dir.DatabasePath));

        foreach (var record in records)
        {
            var result = await replayer.ReplayAsync(record);
            Assert.True(result.Matches, result.Message);
            Assert.Equal(DefaultRules.Identity.Revision, result.Revision);
        }
    }

    [Fact]
    public async Task Replay_AfterRuleFilesChanged_OldDecisionsMatchTheirRevisionAndTheNewOneShowsDifferences()
    {
        using var rules = TempRuleDirectory.WithRules(string.Join(",\n", FeverRule, EczemaRule));
        var v1 = LoadDirectory(rules.Path);
        using var dir = new TempAuditDirectory();
        await using var store = await TestTrail.OpenAsync(dir.DatabasePath);
        await store.ArchiveRevisionAsync(v1);
        var draft = Draft(v1, Request("R50.9", "L20.9"));
        await store.AppendAsync(draft);
        var record = (await store.GetAsync(draft.DecisionId))!.ToRecord();

        // A clinician softens the fever rule and adds a rule; the service restarts on the new revision.
        rules.Write("rules.json", Fixtures.Workflow("fixture", string.Join(",\n",
            Fixtures.Rule("fever", "child.Has(\"fever\")", "CLINICIAN_REVIEW_REQUIRED", "WARNING", "\"fever\""),
            EczemaRule,
            InfoRule)));
        var v2 = LoadDirectory(rules.Path);
        await store.ArchiveRevisionAsync(v2);

        var onOwnRevision = await new DecisionReplayer(store).ReplayAsync(record);
        var onNewRevision = await new DecisionReplayer(store).CompareAsync(record, v2);

        Assert.NotEqual(v1.Identity.Revision, v2.Identity.Revision);
        Assert.True(onOwnRevision.Matches, onOwnRevision.Message);
        Assert.Equal(ReplayStatus.Differs, onNewRevision.Status);
        Assert.Equal(
            [
                new ReplayDifference("verdict", "NOT_SUITABLE", "CLINICIAN_REVIEW_REQUIRED"),
                new ReplayDifference("precautions[fever].outcome", "NOT_SUITABLE", "CLINICIAN_REVIEW_REQUIRED"),
                new ReplayDifference("precautions[fever].severity", "CRITICAL", "WARNING"),
                new ReplayDifference("precautions[school-age-note]", "absent", "SUITABLE"),
                new ReplayDifference("rules[school-age-note]", "absent", "fired"),
            ],
            onNewRevision.Differences);
    }

    [Fact]
    public async Task Replay_RevisionNeverArchived_SaysSo()
    {
        var replayer = new DecisionReplayer((_, _) => Task.FromResult<IReadOnlyList<RuleSetFile>?>(null));
        var record = new DecisionRecord(1, AuditHead.GenesisHash, new string('a', 64), Draft());

        var result = await replayer.ReplayAsync(record);

        Assert.Equal(ReplayStatus.RevisionNotArchived, result.Status);
    }

    [Fact]
    public async Task Replay_ArchivedFilesChanged_IsARevisionMismatch()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var draft = Draft("R50.9");
        await store.AppendAsync(draft);
        var record = (await store.GetAsync(draft.DecisionId))!.ToRecord();
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE revision_files SET content = CAST(CAST(content AS TEXT) || ' ' AS BLOB) WHERE path = 'rules.json';");
        }

        var result = await new DecisionReplayer(new SqliteAuditReader(dir.DatabasePath)).ReplayAsync(record);

        Assert.Equal(ReplayStatus.RevisionMismatch, result.Status);
        Assert.Contains("archive was changed", result.Message);
    }

    [Fact]
    public async Task Replay_ArchivedPathEscapingTheFolder_IsRefused()
    {
        var files = DefaultRules.Files.Append(new RuleSetFile("../escape.json", "{}"u8.ToArray())).ToArray();
        var replayer = new DecisionReplayer((_, _) => Task.FromResult<IReadOnlyList<RuleSetFile>?>(files));

        // Archived under the revision these files hash to, so that they reach the loader.
        var record = new DecisionRecord(1, AuditHead.GenesisHash, new string('a', 64), Draft() with { Revision = RevisionHasher.Compute(files) });

        var result = await replayer.ReplayAsync(record);

        Assert.Equal(ReplayStatus.RevisionUnloadable, result.Status);
        Assert.Contains("no longer loads: ../escape.json:0:0: error: a rule-set file needs a relative path", result.Message);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escape.json")));
    }

    [Fact]
    public async Task Replay_ArchiveChangedAfterAnEarlierReplay_IsARevisionMismatch()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var draft = Draft("R50.9");
        await store.AppendAsync(draft);
        var record = (await store.GetAsync(draft.DecisionId))!.ToRecord();
        var replayer = new DecisionReplayer(new SqliteAuditReader(dir.DatabasePath));
        Assert.True((await replayer.ReplayAsync(record)).Matches);

        // Changed while the replayer (a running service's) lives: the next replay reads and hashes the files again.
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE revision_files SET content = CAST(CAST(content AS TEXT) || ' ' AS BLOB) WHERE path = 'rules.json';");
        }

        var replay = await replayer.ReplayAsync(record);
        var expanded = await replayer.ExpandAsync(record);
        var load = await replayer.LoadRevisionAsync(record.Content.Revision);

        Assert.Equal(ReplayStatus.RevisionMismatch, replay.Status);
        Assert.Contains("archive was changed", replay.Message);
        Assert.Null(expanded);
        Assert.Equal(ReplayStatus.RevisionMismatch, load.Status);
        Assert.Null(load.RuleSet);
    }

    [Fact]
    public async Task Replay_ArchiveRestored_MatchesAgainOnTheCompiledRuleSet()
    {
        var current = DefaultRules.Files;
        var reads = 0;
        var replayer = new DecisionReplayer((_, _) =>
        {
            Interlocked.Increment(ref reads);
            return Task.FromResult<IReadOnlyList<RuleSetFile>?>(current);
        });
        var record = new DecisionRecord(1, AuditHead.GenesisHash, new string('a', 64), Draft());

        var first = await replayer.LoadRevisionAsync(record.Content.Revision);
        current = [.. DefaultRules.Files.Select(f => f.Path == "rules.json" ? f with { Content = [.. f.Content, (byte)' '] } : f)];
        var changed = await replayer.ReplayAsync(record);
        current = DefaultRules.Files;
        var restored = await replayer.LoadRevisionAsync(record.Content.Revision);

        Assert.Equal(ReplayStatus.Match, first.Status);
        Assert.Equal(ReplayStatus.RevisionMismatch, changed.Status);
        Assert.Equal(ReplayStatus.Match, restored.Status);
        Assert.Same(first.RuleSet, restored.RuleSet);
        Assert.Equal(3, reads);
    }

    [Fact]
    public async Task Replay_OncePerRevision_ReadsTheArchiveOnce()
    {
        var reads = 0;
        var replayer = new DecisionReplayer((_, _) =>
        {
            Interlocked.Increment(ref reads);
            return Task.FromResult<IReadOnlyList<RuleSetFile>?>(DefaultRules.Files);
        }, ArchiveReads.OncePerRevision);
        var record = new DecisionRecord(1, AuditHead.GenesisHash, new string('a', 64), Draft());

        Assert.True((await replayer.ReplayAsync(record)).Matches);
        Assert.True((await replayer.ReplayAsync(record)).Matches);

        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task ForOneBatch_ReadsEachRevisionOncePerBatchAndSharesTheCompiledRuleSet()
    {
        var current = DefaultRules.Files;
        var reads = 0;
        var replayer = new DecisionReplayer((_, _) =>
        {
            Interlocked.Increment(ref reads);
            return Task.FromResult<IReadOnlyList<RuleSetFile>?>(current);
        });
        var record = new DecisionRecord(1, AuditHead.GenesisHash, new string('a', 64), Draft());

        var first = replayer.ForOneBatch();
        var firstLoads = new[] { await first.LoadRevisionAsync(record.Content.Revision), await first.LoadRevisionAsync(record.Content.Revision) };
        var readsInFirst = reads;
        current = [.. DefaultRules.Files.Select(f => f.Path == "rules.json" ? f with { Content = [.. f.Content, (byte)' '] } : f)];
        var second = await replayer.ForOneBatch().LoadRevisionAsync(record.Content.Revision);
        var single = await replayer.LoadRevisionAsync(record.Content.Revision);

        Assert.Equal(1, readsInFirst);
        Assert.All(firstLoads, l => Assert.Equal(ReplayStatus.Match, l.Status));
        Assert.Equal(ReplayStatus.RevisionMismatch, second.Status);
        Assert.Equal(ReplayStatus.RevisionMismatch, single.Status);
        current = DefaultRules.Files;
        Assert.Same(firstLoads[0].RuleSet, (await replayer.LoadRevisionAsync(record.Content.Revision)).RuleSet);
    }
}
