using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;

namespace SafetyCheck.Audit.Tests.Checkpoints;

public class CheckpointTests
{
    private static readonly DateTimeOffset CheckpointTime = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly string RevisionA = new('a', 64);
    private static readonly string RevisionB = new('b', 64);

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
    public void Create_WithRevisions_IsVersion2ListingThemInOrderAndSigningThem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Signed(key, [RevisionB, RevisionA, RevisionB]);

        var text = checkpoint.ToText();
        var parsed = Checkpoint.Parse(text);
        var lostOne = Checkpoint.Parse(text.Replace($"revisions: 2\nrevision: {RevisionA}\n", "revisions: 1\n", StringComparison.Ordinal));

        Assert.StartsWith($"SafetyCheck audit checkpoint v2\norigin: host-a\nsize: 7\nhead: {new string('c', 64)}\nrevisions: 2\nrevision: {RevisionA}\nrevision: {RevisionB}\ntime: 2026-03-02T12:00:00.0000000Z\n\nsignature: ecdsa-p256-sha256 ", text);
        Assert.Equal(checkpoint, parsed);
        Assert.Equal(2, parsed.Version);
        Assert.Equal([RevisionA, RevisionB], parsed.Revisions);
        Assert.True(parsed.VerifySignature(key));
        Assert.False(lostOne.VerifySignature(key));
    }

    [Theory]
    [InlineData("size: 7", "size: 9223372036854775808", "size")]
    [InlineData("size: 7", "size: 99999999999999999999999999", "size")]
    [InlineData("size: 7", "size: -7", "size")]
    [InlineData("size: 7", "size: 007", "form")]
    [InlineData("size: 7", "size:7", "'size:'")]
    [InlineData("revisions: 2", "revisions: 3", "'revision:'")]
    [InlineData("revisions: 2", "revisions: 2147483648", "number of revisions")]
    [InlineData("revisions: 2", "revisions: 1", "'time:'")]
    [InlineData("time: 2026-03-02T12:00:00.0000000Z", "time: 2026-03-02T12:00:00Z", "time")]
    [InlineData("time: 2026-03-02T12:00:00.0000000Z", "time: 2026-02-30T12:00:00.0000000Z", "time")]
    [InlineData("ecdsa-p256-sha256", "rsa", "signature line")]
    [InlineData("SafetyCheck audit checkpoint v2", "SafetyCheck audit checkpoint v3", "first line")]
    public void Parse_MalformedCheckpoint_IsAFormatExceptionSayingWhat(string line, string replacement, string expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var text = Signed(key, [RevisionA, RevisionB]).ToText().Replace(line, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => Checkpoint.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TextAfterTheSignature_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<FormatException>(() => Checkpoint.Parse(Signed(key, []).ToText() + "size: 1\n"));

        Assert.Contains("after the signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointKeyFile_GeneratesOnceOwnerOnlyAndItsPublicKeyVerifies()
    {
        using var dir = new TempAuditDirectory();
        var path = Path.Combine(dir.Path, "keys", "checkpoint-key.pem");
        using var signer = CheckpointKeyFile.LoadOrCreate(path, out var created);
        using var again = CheckpointKeyFile.LoadOrCreate(path, out var createdAgain);
        using var verifier = CheckpointKeyFile.FromPem(CheckpointKeyFile.ExportPublicKeyPem(signer));

        var checkpoint = Checkpoint.Create("log", AuditHead.Empty, CheckpointTime, signer);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(Checkpoint.KeyIdOf(signer), Checkpoint.KeyIdOf(again));
        Assert.Equal(Checkpoint.KeyIdOf(signer), checkpoint.KeyId);
        Assert.True(checkpoint.VerifySignature(verifier));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void Keys_OtherCurvesOf256Bits_AreRefused()
    {
        using var secp256k1 = ECDsa.Create(ECCurve.CreateFromFriendlyName("secp256k1"));
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Checkpoint.Create("log", AuditHead.Empty, CheckpointTime, p256);

        Assert.Equal(256, secp256k1.KeySize);
        Assert.Throws<ArgumentException>(() => CheckpointKeyFile.FromPem(secp256k1.ExportSubjectPublicKeyInfoPem()));
        Assert.Throws<ArgumentException>(() => Checkpoint.Create("log", AuditHead.Empty, CheckpointTime, secp256k1));
        Assert.False(checkpoint.VerifySignature(secp256k1));
        Assert.True(checkpoint.VerifySignature(p256));
    }

    [Fact]
    public void IsInDatabaseFolder_TheFolderItselfBelowItOrThroughALink_True_ElsewhereFalse()
    {
        using var dir = new TempAuditDirectory();
        using var elsewhere = new TempAuditDirectory();
        var link = Path.Combine(elsewhere.Path, "to-db");
        Directory.CreateSymbolicLink(link, dir.Path);

        Assert.True(CheckpointKeyFile.IsInDatabaseFolder(Path.Combine(dir.Path, "audit.db.checkpoint-key.pem"), dir.DatabasePath));
        Assert.True(CheckpointKeyFile.IsInDatabaseFolder(Path.Combine(dir.Path, "keys", "k.pem"), dir.DatabasePath));
        Assert.True(CheckpointKeyFile.IsInDatabaseFolder(Path.Combine(link, "k.pem"), dir.DatabasePath));
        Assert.False(CheckpointKeyFile.IsInDatabaseFolder(Path.Combine(elsewhere.Path, "k.pem"), dir.DatabasePath));
        Assert.False(CheckpointKeyFile.IsInDatabaseFolder(dir.Path + "-keys/k.pem", dir.DatabasePath));
    }

    private static Checkpoint Signed(ECDsa key, string[] revisions) =>
        Checkpoint.Create("host-a", new AuditHead(7, new string('c', 64)), revisions, CheckpointTime, Checkpoint.KeyIdOf(key),
            body => key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
}
