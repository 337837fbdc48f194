using System.Security.Cryptography;
using System.Text;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Rules;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Verification;

/// <summary>
/// Verification covers the archive that replay depends on: every revision named is archived, every archived revision's
/// files still hash to it, and an edited file is named with its revision.
/// </summary>
public class ArchiveVerificationTests
{
    private static readonly DateTimeOffset CheckpointTime = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static string RuleFile => DefaultRules.Files.First(f => f.Path != ManifestLoader.FileName && f.Path.EndsWith(".json", StringComparison.Ordinal) && !f.Path.StartsWith("conditions", StringComparison.Ordinal)).Path;

    [Fact]
    public async Task Verify_ArchiveIntact_CountsItsRevisions()
    {
        using var dir = await LogOf(3);

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.True(report.IsValid, report.Message);
        Assert.EndsWith("; 1 archived rule revision hashes to its files", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EditedArchivedRuleFile_FailsNamingTheRevisionAndTheFile()
    {
        using var dir = await LogOf(3);
        EditArchivedFile(dir.DatabasePath, RuleFile, "Summary of fever.", "Summary of a harmless rule.");

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Equal(DefaultRules.Identity.Revision, report.Revision);
        Assert.Equal(RuleFile, report.File);
        Assert.Equal(1, report.FirstBadSequence);
        Assert.Equal(3, report.EntriesChecked);
        Assert.StartsWith($"revision {DefaultRules.Identity.Revision}: archived file {RuleFile} was changed", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EditedFileAndItsDigest_StillFailsOnTheRevisionHash()
    {
        using var dir = await LogOf(1);
        var edited = EditArchivedFile(dir.DatabasePath, RuleFile, "Summary of fever.", "Summary of a harmless rule.");
        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, "UPDATE revision_files SET sha256 = $d WHERE path = $p;", ("$d", ArchivedRevision.DigestOf(edited)), ("$p", RuleFile));
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Null(report.File);
        Assert.Contains("every file left matches the digest recorded for it: a file was removed", report.Message, StringComparison.Ordinal);
        Assert.Contains("or a file and its recorded digest were both changed", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ArchivedRuleFileRemoved_SaysAFileWasRemoved()
    {
        using var dir = await LogOf(1);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "DELETE FROM revision_files WHERE path = $p;", ("$p", RuleFile));
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Contains("a file was removed (its digest with it, so it cannot be named)", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("changed to match", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ArchivedCatalogRemoved_NamesIt()
    {
        using var dir = await LogOf(1);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "DELETE FROM revision_files WHERE path = 'conditions.json';");
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Equal("conditions.json", report.File);
        Assert.Contains("archived file conditions.json was removed: the files no longer hash to the revision", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ArchiveWithoutDigests_FailsNamingTheRevisionOnly()
    {
        using var dir = await LogOf(1);
        EditArchivedFile(dir.DatabasePath, RuleFile, "Summary of fever.", "Summary of a harmless rule.");
        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, "UPDATE revision_files SET sha256 = NULL;");
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Equal(DefaultRules.Identity.Revision, report.Revision);
        Assert.Contains("archived before per-file digests were kept", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ArchivedNameChanged_FailsNamingTheManifest()
    {
        using var dir = await LogOf(1);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE revisions SET version = '9.9.9';");
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Equal(ManifestLoader.FileName, report.File);
        Assert.Contains("9.9.9 but its manifest says", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RevisionNamedByADecisionRemovedFromTheArchive_NamesTheFirstSequence()
    {
        using var dir = await LogOf(2);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "DELETE FROM revision_files; DELETE FROM revisions;");
        }

        var report = await AuditVerifier.VerifyAsync(new SqliteAuditReader(dir.DatabasePath));

        Assert.Equal(VerificationProblem.ArchiveRevisionMissing, report.Problem);
        Assert.Equal(1, report.FirstBadSequence);
        Assert.Equal(DefaultRules.Identity.Revision, report.Revision);
    }

    [Fact]
    public async Task Verify_CheckpointV2_ARevisionItSignedLeftTheArchive_Fails()
    {
        using var dir = new TempAuditDirectory();
        var other = Load(FeverRule);
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.ArchiveRevisionAsync(other);
        }

        var reader = new SqliteAuditReader(dir.DatabasePath);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Checkpoint.Create("test", await reader.HeadAsync(), await reader.ListRevisionsAsync(), CheckpointTime, Checkpoint.KeyIdOf(key),
            body => key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.True((await AuditVerifier.VerifyAsync(reader, checkpoint, key)).IsValid);
        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "DELETE FROM revision_files WHERE revision = $r; DELETE FROM revisions WHERE revision = $r;", ("$r", other.Identity.Revision));
        }

        var report = await AuditVerifier.VerifyAsync(reader, checkpoint, key);

        Assert.Equal(VerificationProblem.ArchiveRevisionMissing, report.Problem);
        Assert.Equal(other.Identity.Revision, report.Revision);
        Assert.Contains("archived when the checkpoint was signed", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChainOnly_DoesNotReadTheArchive()
    {
        using var dir = await LogOf(1);
        EditArchivedFile(dir.DatabasePath, RuleFile, "Summary of fever.", "Summary of a harmless rule.");

        var report = await AuditVerifier.VerifyAsync((IAuditChain)new SqliteAuditReader(dir.DatabasePath));

        Assert.True(report.IsValid, report.Message);
    }

    /// <summary>Replaces text in an archived file, as someone with file access could; returns the new bytes.</summary>
    private static byte[] EditArchivedFile(string databasePath, string path, string from, string to)
    {
        using var raw = Raw(databasePath);
        DropTriggers(raw);
        using var read = raw.CreateCommand();
        read.CommandText = "SELECT content FROM revision_files WHERE path = $p;";
        read.Parameters.AddWithValue("$p", path);
        var content = Encoding.UTF8.GetString((byte[])read.ExecuteScalar()!);
        Assert.Contains(from, content, StringComparison.Ordinal);
        var edited = Encoding.UTF8.GetBytes(content.Replace(from, to, StringComparison.Ordinal));
        Execute(raw, "UPDATE revision_files SET content = $c WHERE path = $p;", ("$c", edited), ("$p", path));
        return edited;
    }

    private static async Task<TempAuditDirectory> LogOf(int count)
    {
        var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(Draft(i % 2 == 0 ? [] : ["R50.9"]));
        }

        return dir;
    }
}
