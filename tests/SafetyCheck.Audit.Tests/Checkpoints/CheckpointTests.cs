using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;

namespace SafetyCheck.Audit.Tests.Checkpoints;

public class CheckpointTests
{
    private static readonly DateTimeOffset CheckpointTime = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Checkpoint_TextRoundTripsAndAnEditedSizeNoLongerVerifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Checkpoint.Create("host-a audit.db", new AuditHead(42, new string('c', 64)), CheckpointTime, key);

        var text = checkpoint.ToText();
        var parsed = Checkpoint.Parse(text);
        var edited = Checkpoint.Parse(text.Replace("size: 42", "size: 40", StringComparison.Ordinal));

        Assert.Equal(checkpoint, parsed);
        Assert.True(parsed.VerifySignature(key));
        Assert.False(edited.VerifySignature(key));
        Assert.StartsWith("SafetyCheck audit checkpoint v1\norigin: host-a audit.db\nsize: 42\n", text);
        Assert.Throws<FormatException>(() => Checkpoint.Parse("not a checkpoint"));
    }

    [Fact]
    public void CheckpointKeyFile_GeneratesOnceAndItsPublicKeyVerifies()
    {
        using var dir = new TempAuditDirectory();
        var path = CheckpointKeyFile.PathFor(dir.DatabasePath);
        using var signer = CheckpointKeyFile.LoadOrCreate(path);
        using var again = CheckpointKeyFile.LoadOrCreate(path);
        using var verifier = CheckpointKeyFile.FromPem(CheckpointKeyFile.ExportPublicKeyPem(signer));

        var checkpoint = Checkpoint.Create("log", AuditHead.Empty, CheckpointTime, signer);

        Assert.Equal(Checkpoint.KeyIdOf(signer), Checkpoint.KeyIdOf(again));
        Assert.Equal(Checkpoint.KeyIdOf(signer), checkpoint.KeyId);
        Assert.True(checkpoint.VerifySignature(verifier));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }
}
