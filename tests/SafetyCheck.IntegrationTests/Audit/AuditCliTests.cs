using System.Text.Json;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Check;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>The <c>audit</c> verbs in-process, on copies of a trail the real host wrote, against each fault they must catch.</summary>
public sealed class AuditCliTests(RecordedTrailFixture trail) : IClassFixture<RecordedTrailFixture>
{
    public static TheoryData<string> Verbs => ["verify", "list", "show", "replay", "export", "checkpoint"];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_EveryAuditVerb_ShowsAWorkedExampleAndExitCodes(string verb)
    {
        var run = await CliRun.InvokeAsync(["audit", verb, "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"safetycheck audit {verb}", run.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", run.Output, StringComparison.Ordinal);
        Assert.Contains("--audit-db", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("list")]
    [InlineData("show", "01900000-0000-7000-8000-000000000001")]
    [InlineData("replay", "01900000-0000-7000-8000-000000000001")]
    [InlineData("export")]
    [InlineData("checkpoint")]
    public async Task AnyVerb_NoDatabase_Exits1(string verb, string? id = null)
    {
        using var folder = new TempAuditFolder();
        using var keys = new TempAuditFolder();
        string[] key = verb == "checkpoint" ? ["--key", keys.File("checkpoint-key.pem")] : [];

        var run = await CliRun.InvokeAsync(["audit", verb, .. id is null ? Array.Empty<string>() : [id], .. key, "--audit-db", folder.DatabasePath]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"there is no audit database at {folder.DatabasePath}", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.DatabasePath));
        Assert.Empty(Directory.GetFiles(keys.Path));
    }

    [Theory]
    [InlineData("list", "--bogus")]
    [InlineData("list", "--verdict", "MAYBE")]
    [InlineData("list", "--from", "yesterday")]
    [InlineData("list", "--from", "2025-06-02", "--to", "2025-06-01")]
    [InlineData("list", "--limit")]
    [InlineData("list", "--revision", "abc")]
    [InlineData("list", "--caller", "")]
    [InlineData("show")]
    [InlineData("show", "not-an-id")]
    [InlineData("show", "01900000-0000-7000-8000-000000000001")]
    [InlineData("replay", "01900000-0000-7000-8000-000000000001")]
    [InlineData("export", "--format", "xml")]
    public async Task AnyVerb_BadArgument_Exits2(params string[] args)
    {
        using var copy = trail.Copy();

        var run = await CliRun.InvokeAsync(["audit", .. args, "--audit-db", copy.DatabasePath]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.NotEqual("", run.Error);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    public async Task List_RuleWithAControlCharacter_Exits2NamingTheOption(int control)
    {
        using var copy = trail.Copy();

        var run = await CliRun.InvokeAsync(["audit", "list", "--rule", $"fe{(char)control}ver", "--audit-db", copy.DatabasePath]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains("--rule: a rule id must not contain control characters", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_IntactTrail_Exits0()
    {
        using var copy = trail.Copy();

        var run = await Audit(copy, "verify");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith($"ok: 8 records verify; head {trail.Responses[^1].Audit.EntryHash}", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EditedRecord_Exits2NamingTheFirstBadSequence()
    {
        using var copy = trail.Copy();
        AuditTampering.EditCaller(copy.DatabasePath, 4);

        var run = await Audit(copy, "verify");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("FAILED: sequence 4: the record does not hash to its entry_hash", run.Output, StringComparison.Ordinal);
        Assert.Contains("first bad sequence: 4", run.Output, StringComparison.Ordinal);
        Assert.Contains("triggers", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeletedMiddleRecord_Exits2NamingTheGap()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence = 5;");

        var run = await Audit(copy, "verify");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("first bad sequence: 5", run.Output, StringComparison.Ordinal);
        Assert.Contains("records are missing", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TruncatedTail_CaughtOnlyWithACheckpoint()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = copy.File("checkpoint.txt");
        var signed = await Audit(copy, "checkpoint", "--output", checkpoint, "--key", keys.File("checkpoint-key.pem"));
        var publicKey = keys.File("checkpoint-key.pub.pem");
        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence > 6;");

        var chainOnly = await Audit(copy, "verify");
        var withCheckpoint = await Audit(copy, "verify", "--checkpoint", checkpoint, "--public-key", publicKey);

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.Contains("size: 8\n", await File.ReadAllTextAsync(checkpoint), StringComparison.Ordinal);
        Assert.Contains($"--public-key {publicKey}", signed.Error, StringComparison.Ordinal);
        Assert.True(chainOnly.ExitCode == 0, "a hash chain alone cannot see a cut tail: " + chainOnly);
        Assert.True(withCheckpoint.ExitCode == 2, withCheckpoint.ToString());
        Assert.Contains("its tail was truncated", withCheckpoint.Output, StringComparison.Ordinal);
        Assert.Contains("first bad sequence: 7", withCheckpoint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_VerifiedPointTheChainNoLongerHolds_Exits2NamingTheRewrite()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, $"INSERT OR IGNORE INTO verified_points (sequence, entry_hash) VALUES (6, '{new string('0', 64)}');");

        var run = await Audit(copy, "verify");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"FAILED: sequence 6 (verified before): its entry hash is {trail.Responses[5].Audit.EntryHash} but {new string('0', 64)} was verified there: records up to it were rewritten", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DatabaseNotInWalMode_IsReadWithoutChangingIt()
    {
        using var copy = trail.Copy();
        var vacuumed = copy.File("vacuumed.db");
        AuditTampering.Execute(copy.DatabasePath, $"VACUUM INTO '{vacuumed}';");

        var verify = await CliRun.InvokeAsync(["audit", "verify", "--audit-db", vacuumed]);
        var list = await CliRun.InvokeAsync(["audit", "list", "--audit-db", vacuumed]);
        var show = await CliRun.InvokeAsync(["audit", "show", trail.Responses[0].DecisionId, "--audit-db", vacuumed]);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("ok: 8 records verify", verify.Output, StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.False(File.Exists(vacuumed + "-wal"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an SQLite database, but long enough for SQLite to read its header and refuse it ...................")]
    public async Task AnyVerb_FileThatIsNotAnAuditTrail_Exits1SayingSo(string content)
    {
        using var folder = new TempAuditFolder();
        await File.WriteAllTextAsync(folder.DatabasePath, content);

        var run = await Audit(folder, "verify");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"cannot read the audit trail: {folder.DatabasePath} is not an audit trail: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("readonly", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RewrittenChain_CaughtOnlyWithACheckpoint()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = await CheckpointAsync(copy, keys);

        // Someone with the file and the code: cut the chain after record 2 and append six new, well-formed records.
        AuditTampering.Execute(copy.DatabasePath, "DELETE FROM entries WHERE sequence > 2;");
        await AppendForgedAsync(copy.DatabasePath, 6);

        var chainOnly = await Audit(copy, "verify");
        var withCheckpoint = await Audit(copy, "verify", "--checkpoint", checkpoint, "--public-key", keys.File("checkpoint-key.pub.pem"));

        Assert.True(chainOnly.ExitCode == 0, "a rewritten chain is internally consistent: " + chainOnly);
        Assert.StartsWith("ok: 8 records verify", chainOnly.Output, StringComparison.Ordinal);
        Assert.True(withCheckpoint.ExitCode == 2, withCheckpoint.ToString());
        Assert.Contains("records up to 8 were rewritten", withCheckpoint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointFromAnotherKey_Exits2()
    {
        using var copy = trail.Copy();
        using var other = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = await CheckpointAsync(copy, keys, "one");
        await CheckpointAsync(other, keys, "other");

        var run = await Audit(copy, "verify", "--checkpoint", checkpoint, "--public-key", keys.File("other.pub.pem"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("signature does not verify", run.Output, StringComparison.Ordinal);
        Assert.Contains("the chain was not checked: give the public key that signed this checkpoint", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("verified before it", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PublicKeyFileHoldsNoKey_Exits2SayingSoPlainly()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = await CheckpointAsync(copy, keys, "one");
        var notAKey = keys.File("notes.txt");
        await File.WriteAllTextAsync(notAKey, "not a key\n");

        var run = await Audit(copy, "verify", "--checkpoint", checkpoint, "--public-key", notAKey);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--public-key: {notAKey} holds no ECDSA P-256 key: it has no PEM key block", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointWithoutAKeyToCheckIt_IsABadArgument()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = await CheckpointAsync(copy, keys);

        var run = await Audit(copy, "verify", "--checkpoint", checkpoint);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        var lines = run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("--public-key: no key to check the checkpoint with", lines[0], StringComparison.Ordinal);
        Assert.Equal("see: safetycheck audit verify --help", lines[^1]);
    }

    [Theory]
    [InlineData("--checkpoint", "missing.txt", "no such file")]
    [InlineData("--export", "missing.jsonl", "no such file")]
    [InlineData("--export", ".", "it is a directory, not a file")]
    public async Task Verify_UnreadableFile_Exits1NamingTheOptionAndWhy(string option, string name, string why)
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var file = name == "." ? keys.Path : keys.File(name);

        var run = await Audit(copy, "verify", option, file, "--public-key", keys.File("none.pub.pem"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{option}: cannot read {file}: {why}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ExportThatIsNotJson_NamesTheLineAndColumnOnce()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var export = keys.File("garbage.jsonl");
        await File.WriteAllTextAsync(export, "garbage\n");

        var run = await Audit(copy, "verify", "--export", export);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.DoesNotContain("LineNumber", run.Output, StringComparison.Ordinal);
        Assert.Contains($"FAILED: {export}: line 1: not an exported record: 'g' is an invalid start of a value (column 1)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EditedArchivedRuleFile_Exits2NamingTheRevisionAndTheFile()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(
            copy.DatabasePath,
            "UPDATE revision_files SET content = CAST(replace(CAST(content AS TEXT), 'fragrance-free', 'scented') AS BLOB) WHERE path = 'infection-and-skin.json';");

        var run = await Audit(copy, "verify");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"FAILED: revision {trail.Revision}: archived file infection-and-skin.json was changed", run.Output, StringComparison.Ordinal);
        Assert.Contains($"revision: {trail.Revision}\nfile: infection-and-skin.json\nthe chain's 8 records verify; the archive does not (ArchivedRevisionAltered)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoint_IsVersion2_CommittingToTheArchivedRevisions_AndOwnerOnly()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = copy.File("checkpoint.txt");

        var run = await Audit(copy, "checkpoint", "--output", checkpoint, "--key", keys.File("checkpoint-key.pem"));
        var verify = await Audit(copy, "verify", "--checkpoint", checkpoint, "--public-key", keys.File("checkpoint-key.pub.pem"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = await File.ReadAllTextAsync(checkpoint);
        Assert.StartsWith("SafetyCheck audit checkpoint v2\n", text, StringComparison.Ordinal);
        Assert.Contains($"\nrevisions: 1\nrevision: {trail.Revision}\ntime: ", text, StringComparison.Ordinal);
        Assert.Contains("created a new checkpoint key", run.Error, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("consistent with the checkpoint at 8; 1 archived rule revision hashes to its files", verify.Output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(checkpoint));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.File("checkpoint-key.pem")));
        }
    }

    [Fact]
    public async Task CheckpointAndExport_IntoMissingFolders_CreateThemOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = copy.File(Path.Combine("checkpoints", "2026", "checkpoint.txt"));
        var export = copy.File(Path.Combine("exports", "decisions.jsonl"));

        var signed = await Audit(copy, "checkpoint", "--output", checkpoint, "--key", keys.File("checkpoint-key.pem"));
        var exported = await Audit(copy, "export", "--output", export);

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.True(exported.ExitCode == 0, exported.ToString());
        foreach (var folder in new[] { copy.File("checkpoints"), copy.File(Path.Combine("checkpoints", "2026")), copy.File("exports") })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(export));
    }

    [Fact]
    public async Task Checkpoint_NoKeyOrSigner_Exits2SayingWhereKeysGo()
    {
        using var copy = trail.Copy();

        var run = await Audit(copy, "checkpoint");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("no checkpoint key: give --key FILE outside the database's folder", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData("audit.db.checkpoint-key.pem")]
    [InlineData("keys/checkpoint-key.pem")]
    public async Task Checkpoint_KeyInTheDatabaseFolder_Exits2AndCreatesNoKey(string key)
    {
        using var copy = trail.Copy();

        var run = await Audit(copy, "checkpoint", "--key", copy.File(key));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("is in the database's folder", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(copy.File(key)));
    }

    [Fact]
    public async Task Checkpoint_ExternalSigner_SignsWhatItsPublicKeyVerifies_AndABadSignerExits1()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        using var signerKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(keys.File("signer.pem"), signerKey.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(keys.File("signer.pub.pem"), signerKey.ExportSubjectPublicKeyInfoPem());
        var signer = $"openssl dgst -sha256 -sign '{keys.File("signer.pem")}' | base64 -w0";
        var checkpoint = copy.File("checkpoint.txt");

        var run = await Audit(copy, "checkpoint", "--output", checkpoint, "--signer", signer, "--public-key", keys.File("signer.pub.pem"));
        var verify = await Audit(copy, "verify", "--checkpoint", checkpoint, "--public-key", keys.File("signer.pub.pem"));
        var failing = await Audit(copy, "checkpoint", "--signer", "echo nope >&2; exit 3", "--public-key", keys.File("signer.pub.pem"));
        var lying = await Audit(copy, "checkpoint", "--signer", "echo AAAA", "--public-key", keys.File("signer.pub.pem"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.Contains("the signer exited with 3: nope", failing.Error, StringComparison.Ordinal);
        Assert.True(lying.ExitCode == 1, lying.ToString());
        Assert.Contains("does not verify with the public key", lying.Error, StringComparison.Ordinal);
        Assert.Equal("", lying.Output);
    }

    [Theory]
    [InlineData("size: 8", "size: 9223372036854775808")]
    [InlineData("size: 8", "size: 99999999999999999999999")]
    [InlineData("revisions: 1", "revisions: 2")]
    public async Task Verify_MalformedCheckpoint_Exits2(string line, string replacement)
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        var checkpoint = await CheckpointAsync(copy, keys);
        await File.WriteAllTextAsync(checkpoint, (await File.ReadAllTextAsync(checkpoint)).Replace(line, replacement, StringComparison.Ordinal));

        var run = await Audit(copy, "verify", "--checkpoint", checkpoint, "--public-key", keys.File("checkpoint-key.pub.pem"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("is not a SafetyCheck audit checkpoint", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ToAFile_IsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var copy = trail.Copy();
        var file = copy.File("decisions.jsonl");
        await File.WriteAllTextAsync(file, "old");
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);

        var run = await Audit(copy, "export", "--output", file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Checkpoint_ChainDoesNotVerify_SignsNothing()
    {
        using var copy = trail.Copy();
        using var keys = new TempAuditFolder();
        AuditTampering.EditCaller(copy.DatabasePath, 2);

        var run = await Audit(copy, "checkpoint", "--output", copy.File("checkpoint.txt"), "--key", keys.File("checkpoint-key.pem"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("not signed", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(copy.File("checkpoint.txt")));
    }

    [Fact]
    public async Task Replay_AfterTheRuleFilesChanged_OldDecisionsReplayOnTheirOwnRevision()
    {
        using var folder = new TempAuditFolder();
        var rules = TestPaths.CopyOfRules();
        var before = await CheckOnceAsync(rules, folder, AuditRequests.Eczema("before"));

        // A clinician makes eczema a contraindication: the revision changes and so would the old answer.
        var file = Directory.GetFiles(rules, "*.json").Single(f => !f.EndsWith(".cases.json", StringComparison.Ordinal)
            && File.ReadAllText(f).Contains("\"RuleName\": \"eczema\"", StringComparison.Ordinal));
        var text = await File.ReadAllTextAsync(file);
        var at = text.IndexOf("\"RuleName\": \"eczema\"", StringComparison.Ordinal);
        var outcome = text.IndexOf("\"SUITABLE_WITH_PRECAUTIONS\"", at, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, string.Concat(text.AsSpan(0, outcome), "\"NOT_SUITABLE\"", text.AsSpan(outcome + "\"SUITABLE_WITH_PRECAUTIONS\"".Length)));
        var after = await CheckOnceAsync(rules, folder, AuditRequests.Eczema("after"));

        var replayOld = await Audit(folder, "replay", before.DecisionId);
        var replayAll = await Audit(folder, "replay", "--all");
        var reader = new SqliteAuditReader(folder.DatabasePath);
        var onTodaysRules = await new DecisionReplayer(reader).CompareAsync(
            (await reader.GetAsync(before.DecisionId))!.ToRecord(), RuleSetLoader.Load(rules).RuleSet!);

        Assert.NotEqual(before.Ruleset.Revision, after.Ruleset.Revision);
        Assert.Equal(Protos.V1.Suitability.NotSuitable, after.Suitability);
        Assert.True(replayOld.ExitCode == 0, replayOld.ToString());
        Assert.StartsWith($"match: decision {before.DecisionId} replays on revision {before.Ruleset.Revision}", replayOld.Output, StringComparison.Ordinal);
        Assert.True(replayAll.ExitCode == 0, replayAll.ToString());
        Assert.Contains("2 match, 0 do not, on 2 revisions", replayAll.Output, StringComparison.Ordinal);
        Assert.Equal(ReplayStatus.Differs, onTodaysRules.Status);
        Assert.Contains(onTodaysRules.Differences, d => d.Field == "verdict");
    }

    [Fact]
    public async Task Replay_EditedVerdict_Exits2WithTheDifference()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET record = replace(record, '\"verdict\":\"NOT_SUITABLE\"', '\"verdict\":\"SUITABLE\"') WHERE sequence = 2;");

        var run = await Audit(copy, "replay", trail.Responses[1].DecisionId);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"DIFFERS: decision {trail.Responses[1].DecisionId} replays on revision {trail.Revision} with 1 difference(s):", run.Output, StringComparison.Ordinal);
        Assert.Contains("  verdict: SUITABLE → NOT_SUITABLE", run.Output, StringComparison.Ordinal);
        Assert.Contains("no longer hashes to its entry hash", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_EditedCaller_MatchesButExits2BecauseTheRecordChanged()
    {
        using var copy = trail.Copy();
        AuditTampering.EditCaller(copy.DatabasePath, 3);

        var run = await Audit(copy, "replay", trail.Responses[2].DecisionId);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("match: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("no longer hashes to its entry hash", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ToOnTheDayOfFrom_Exits2SayingHowToAskForThatDay()
    {
        using var copy = trail.Copy();

        var run = await Audit(copy, "list", "--from", "2025-06-01", "--to", "2025-06-01");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("the one day 2025-06-01 is --from 2025-06-01 --to 2025-06-02", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Filters_SelectTheMatchingDecisions()
    {
        using var copy = trail.Copy();
        var ids = trail.Responses.Select(r => r.DecisionId).ToArray();

        Assert.Equal([ids[1], ids[5]], Listed(await Audit(copy, "list", "--verdict", "not_suitable")));
        Assert.Equal([ids[2], ids[4], ids[7]], Listed(await Audit(copy, "list", "--rule", "eczema")));
        Assert.Equal(ids, Listed(await Audit(copy, "list", "--revision", trail.Revision)));
        Assert.Empty(Listed(await Audit(copy, "list", "--revision", new string('0', 64))));
        Assert.Equal(ids[2..5], Listed(await Audit(copy, "list", "--from", "2025-06-01T11:30:00Z", "--to", "2025-06-01T14:30:00Z")));
        Assert.Equal(ids[..8], Listed(await Audit(copy, "list", "--from", "2025-06-01", "--to", "2025-06-02")));
        Assert.Equal(ids, Listed(await Audit(copy, "list", "--caller", "test-all-roles")));
        Assert.Equal([ids[1], ids[5]], Listed(await Audit(copy, "list", "--caller", "test-all-roles", "--verdict", "NOT_SUITABLE")));
        Assert.Empty(Listed(await Audit(copy, "list", "--caller", "Test-All-Roles")));

        var limited = await Audit(copy, "list", "--limit", "3");
        Assert.Equal(ids[..3], Listed(limited));
        Assert.Contains("more match", limited.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Recorded_PrintsTheRecordWithItsEntryHashAndNoIdentity()
    {
        using var copy = trail.Copy();
        var response = trail.Responses[1];

        var run = await Audit(copy, "show", response.DecisionId.ToUpperInvariant());

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(response.Audit.EntryHash, json.RootElement.GetProperty("entry_hash").GetString());
        Assert.Equal((long)response.Audit.Sequence, json.RootElement.GetProperty("sequence").GetInt64());
        Assert.Equal("NOT_SUITABLE", json.RootElement.GetProperty("verdict").GetString());
        Assert.DoesNotContain(AuditRequests.PatientRef, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(AuditRequests.BirthDate, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_EditedVerdict_PrintsTheRecordAsStoredButExits2SayingItWasChanged()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET record = replace(record, '\"verdict\":\"NOT_SUITABLE\"', '\"verdict\":\"SUITABLE\"'), verdict = 'SUITABLE' WHERE sequence = 2;");

        var run = await Audit(copy, "show", trail.Responses[1].DecisionId);

        Assert.True(run.ExitCode == 2, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("SUITABLE", json.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("sequence 2: the record no longer hashes to its entry_hash: it was changed", run.Error, StringComparison.Ordinal);
        Assert.Contains("the record shown is not the one recorded", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_OnlyTheVerdictColumnEdited_Exits2NamingTheColumnAndBothValues()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET verdict = 'SUITABLE' WHERE sequence = 2;");

        var run = await Audit(copy, "show", trail.Responses[1].DecisionId);

        Assert.True(run.ExitCode == 2, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("NOT_SUITABLE", json.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("CHANGED: sequence 2: the row's verdict column says 'SUITABLE' but its record says 'NOT_SUITABLE': it was changed", run.Error, StringComparison.Ordinal);
        Assert.Contains("the record shown is as recorded, but its row's columns were changed", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("csv")]
    public async Task Export_ChangedRows_AreExportedAsStoredButNamedAndExit2(string format)
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET verdict = 'SUITABLE' WHERE sequence = 2;");

        var run = await Audit(copy, "export", "--format", format);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(format == "csv" ? ",SUITABLE," : "\"entry_hash\"", run.Output, StringComparison.Ordinal);
        var error = run.Error.ReplaceLineEndings("\n");
        Assert.Contains("CHANGED: sequence 2: the row's verdict column says 'SUITABLE' but its record says 'NOT_SUITABLE'\n", error, StringComparison.Ordinal);
        Assert.EndsWith("1 row was changed after it was recorded; exported as stored; run 'audit verify'\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ManyChangedRows_NamesTheFirstTenThenCounts()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET record = record || ' ';");

        var run = await Audit(copy, "export");

        Assert.True(run.ExitCode == 2, run.ToString());
        var changed = run.Error.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("CHANGED: sequence ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Math.Min(trail.Responses.Count, 10), changed.Count);
    }

    [Fact]
    public async Task Impact_ChangedRow_IsReplayedButNamedAndExits2()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET rule_ids = '[]' WHERE sequence = 2;");

        var run = await CliRun.InvokeAsync(["impact", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.NotEqual("", run.Output);
        Assert.Contains("CHANGED: sequence 2: the row's rule_ids column says '[]' but its record says", run.Error, StringComparison.Ordinal);
        Assert.Contains("1 row was changed after it was recorded; replayed as stored; run 'audit verify'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAndImpact_IntactTrail_Exit0WithNoChangedLine()
    {
        using var copy = trail.Copy();

        var export = await Audit(copy, "export", "--format", "csv");
        var impact = await CliRun.InvokeAsync(["impact", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath]);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(impact.ExitCode == 0, impact.ToString());
        Assert.DoesNotContain("CHANGED", export.Error + impact.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_EditedAndRehashedRecord_Exits2BecauseTheNextRecordDoesNotLinkToIt()
    {
        using var copy = trail.Copy();
        var row = (await new SqliteAuditReader(copy.DatabasePath).ReadRangeAsync(3, 1).ToListAsync())[0];
        var forged = row.RecordJson.Replace("\"caller\":\"test-all-roles\"", "\"caller\":\"someone-else\"", StringComparison.Ordinal);
        Assert.NotEqual(row.RecordJson, forged);
        AuditTampering.Execute(copy.DatabasePath, $"UPDATE entries SET record = '{forged.Replace("'", "''", StringComparison.Ordinal)}', entry_hash = '{ChainHash.Of(forged)}' WHERE sequence = 3;");

        var run = await Audit(copy, "show", trail.Responses[2].DecisionId);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("someone-else", run.Output, StringComparison.Ordinal);
        Assert.Contains("sequence 3: the record after it (sequence 4) does not link to its entry_hash", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("no longer hashes", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_JsonLines_RoundTripsAndVerifiesAwayFromTheDatabase()
    {
        using var copy = trail.Copy();
        var file = copy.File("decisions.jsonl");

        var export = await Audit(copy, "export", "--format", "jsonl", "--output", file);
        var verify = await CliRun.InvokeAsync(["audit", "verify", "--export", file, "--audit-db", copy.File("absent.db")]);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("exported 8 records", export.Error, StringComparison.Ordinal);
        var stored = new List<StoredEntry>();
        await foreach (var row in new SqliteAuditReader(copy.DatabasePath).ReadRangeAsync(1, 100))
        {
            stored.Add(row);
        }

        using var reader = new StreamReader(file);
        var exported = new List<StoredEntry>();
        await foreach (var row in AuditExporter.ReadJsonLinesAsync(reader))
        {
            exported.Add(row);
        }

        Assert.Equal(stored, exported);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("ok: 8 records verify", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_EditedJsonLines_FailsVerification()
    {
        using var copy = trail.Copy();
        var file = copy.File("decisions.jsonl");
        Assert.Equal(0, (await Audit(copy, "export", "--output", file)).ExitCode);
        var lines = await File.ReadAllLinesAsync(file);
        lines[5] = lines[5].Replace("\"verdict\":\"NOT_SUITABLE\"", "\"verdict\":\"SUITABLE\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, lines);

        var run = await Audit(copy, "verify", "--export", file);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("first bad sequence: 6", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_CsvAndFhir_OneLinePerRecord()
    {
        using var copy = trail.Copy();

        var csv = await Audit(copy, "export", "--format", "csv");
        var fhir = await Audit(copy, "export", "--format", "fhir");

        var csvLines = csv.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(AuditExporter.CsvHeader, csvLines[0]);
        Assert.Equal(trail.Responses.Select(r => r.DecisionId), csvLines.Skip(1).Select(l => l.Split(',')[1]));
        var events = fhir.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(8, events.Length);
        Assert.All(events, e => Assert.Equal("AuditEvent", JsonDocument.Parse(e).RootElement.GetProperty("resourceType").GetString()));
    }

    [Fact]
    public async Task Verbs_WhileTheServiceHoldsTheDatabase_ReadIt()
    {
        using var folder = new TempAuditFolder();
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);
        var response = await host.Client.CheckAsync(AuditRequests.Fever());

        var verify = await Audit(folder, "verify");
        var list = await Audit(folder, "list");
        var replay = await Audit(folder, "replay", response.DecisionId);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal([response.DecisionId], Listed(list));
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Equal(2UL, (await host.Client.CheckAsync(AuditRequests.Infant())).Audit.Sequence);
    }

    private static Task<CliRun> Audit(TempAuditFolder folder, params string[] args) =>
        CliRun.InvokeAsync(["audit", .. args, "--audit-db", folder.DatabasePath]);

    /// <summary>Signs a checkpoint of <paramref name="copy"/> with the key <paramref name="keyName"/>.pem in <paramref name="keys"/>, away from the database; returns its file.</summary>
    private static async Task<string> CheckpointAsync(TempAuditFolder copy, TempAuditFolder keys, string keyName = "checkpoint-key")
    {
        var checkpoint = copy.File("checkpoint.txt");
        var run = await Audit(copy, "checkpoint", "--output", checkpoint, "--key", keys.File(keyName + ".pem"));
        Assert.True(run.ExitCode == 0, run.ToString());
        return checkpoint;
    }

    private static string[] Listed(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return [.. run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1])];
    }

    private static async Task<Protos.V1.CheckResponse> CheckOnceAsync(string rules, TempAuditFolder folder, Protos.V1.CheckRequest request)
    {
        await using var host = await TestServerHost.StartAsync(rules, args: [folder.HostArgument]);
        return await host.Client.CheckAsync(request);
    }

    /// <summary>Appends well-formed records for new assessments, as a forger with the code and the file could.</summary>
    private static async Task AppendForgedAsync(string databasePath, int count)
    {
        var ruleSet = RuleSetLoader.Load(TestPaths.Rules).RuleSet!;
        var checker = new SafetyChecker(ruleSet, TimeProvider.System);
        var ids = new UuidV7DecisionIdSource(TimeProvider.System);
        var pseudonymiser = new Pseudonymiser(new byte[32], "forged");
        await using var storage = SqliteAuditStorage.Open(databasePath);
        await using var writer = await AuditChainWriter.StartAsync(storage);
        await writer.ArchiveRevisionAsync(ruleSet);
        for (var i = 0; i < count; i++)
        {
            var assessment = checker.Check(ProtoMapper.ToUnvalidated(AuditRequests.Infant($"forged-{i}"))).Assessment!;
            await writer.AppendAsync(DecisionRecordFactory.Create(assessment, ids.Next(), "forger", TestServerHost.Now, pseudonymiser));
        }
    }
}
