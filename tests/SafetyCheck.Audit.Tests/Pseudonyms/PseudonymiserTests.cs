using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Tests.Support;

namespace SafetyCheck.Audit.Tests.Pseudonyms;

public class PseudonymiserTests
{
    [Fact]
    public void Pseudonymise_IsLowercaseHexHmacSha256()
    {
        // RFC 4231 test case 1: key = 20 × 0x0b, data = "Hi There".
        var pseudonymiser = new Pseudonymiser(Enumerable.Repeat((byte)0x0b, 20).ToArray(), "rfc4231");

        Assert.Equal("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", pseudonymiser.Pseudonymise("Hi There"));
    }

    [Theory]
    [InlineData("child-0001")]
    [InlineData("Ærøskøbing-😀-0002")]
    [InlineData(null)]
    public void Pseudonymise_ShortLongAndNonAsciiRefs_AreTheHmacOfTheirUtf8(string? patientRef)
    {
        patientRef ??= new string('x', 5000);
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var pseudonymiser = new Pseudonymiser(key, "k-test");

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(patientRef)));

        Assert.Equal(expected, pseudonymiser.Pseudonymise(patientRef));
        Assert.Equal(expected, pseudonymiser.Pseudonymise(patientRef));
    }

    [Fact]
    public async Task Pseudonymise_TwoKeysAlternatingOnManyThreads_EachAlwaysItsOwnKey()
    {
        var first = new Pseudonymiser(Enumerable.Repeat((byte)1, 32).ToArray(), "k-one");
        var second = new Pseudonymiser(Enumerable.Repeat((byte)2, 32).ToArray(), "k-two");
        var expectedFirst = first.Pseudonymise("child-0042");
        var expectedSecond = second.Pseudonymise("child-0042");
        Assert.NotEqual(expectedFirst, expectedSecond);

        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                Assert.Equal(expectedFirst, first.Pseudonymise("child-0042"));
                Assert.Equal(expectedSecond, second.Pseudonymise("child-0042"));
            }
        }));

        await Task.WhenAll(tasks);
    }

    [Fact]
    public void Pseudonymise_EmptyRef_IsEmpty()
    {
        Assert.Equal("", AuditTestSupport.TestPseudonymiser.Pseudonymise(""));
    }

    [Fact]
    public void Pseudonymise_DependsOnTheKey()
    {
        var other = new Pseudonymiser(new byte[32], "zero");

        Assert.NotEqual(AuditTestSupport.TestPseudonymiser.Pseudonymise("p-1"), other.Pseudonymise("p-1"));
        Assert.NotEqual(other.Pseudonymise("p-1"), other.Pseudonymise("p-2"));
    }

    [Fact]
    public void Digest_IsHmacUnderTheSubkeyOfItsPurpose_WithTheKeyId()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();
        var pseudonymiser = new Pseudonymiser(key, "k-test");
        var subkey = System.Security.Cryptography.HMACSHA256.HashData(key, (byte[])[0x00, .. System.Text.Encoding.UTF8.GetBytes("safetycheck/user-comment")]);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(subkey, System.Text.Encoding.UTF8.GetBytes("Testchild Quokka")));

        var digest = pseudonymiser.Digest(Pseudonymiser.UserCommentPurpose, "Testchild Quokka");

        Assert.Equal(new KeyedDigest(expected, "k-test"), digest);
        Assert.Equal(digest, pseudonymiser.Digest(Pseudonymiser.UserCommentPurpose, "Testchild Quokka"));
    }

    [Fact]
    public void Digest_OtherKeyOrPurpose_Differs_AndIsNeitherTheSha256NorAPseudonym()
    {
        var pseudonymiser = AuditTestSupport.TestPseudonymiser;
        var other = new Pseudonymiser(new byte[32], "zero");
        const string Comment = "Testchild Quokka";

        var digest = pseudonymiser.Digest(Pseudonymiser.UserCommentPurpose, Comment).Hmac;

        Assert.NotEqual(digest, other.Digest(Pseudonymiser.UserCommentPurpose, Comment).Hmac);
        Assert.NotEqual(digest, pseudonymiser.Digest("safetycheck/other-purpose", Comment).Hmac);
        Assert.NotEqual(digest, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Comment))));
        Assert.NotEqual(digest, pseudonymiser.Pseudonymise(Comment));

        // The subkey is not the pseudonym of a patient_ref spelling the purpose.
        var subkeyIfUnseparated = Convert.FromHexString(pseudonymiser.Pseudonymise(Pseudonymiser.UserCommentPurpose));
        Assert.NotEqual(digest, Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(subkeyIfUnseparated, System.Text.Encoding.UTF8.GetBytes(Comment))));
    }

    [Fact]
    public void Digest_EmptyPurpose_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => AuditTestSupport.TestPseudonymiser.Digest("", "text"));
    }

    [Fact]
    public void Constructor_ShortKey_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new Pseudonymiser(new byte[15], "short"));
    }

    [Fact]
    public void ToString_DoesNotRevealTheKey()
    {
        var pseudonymiser = Pseudonymiser.FromBase64(Convert.ToBase64String(new byte[32]));

        Assert.Equal($"Pseudonymiser({Pseudonymiser.DeriveKeyId(new byte[32])})", pseudonymiser.ToString());
        Assert.StartsWith("k-", pseudonymiser.KeyId);
    }

    [Fact]
    public void Resolve_NoConfiguredKey_CreatesAnOwnerOnlyKeyFileAndReusesIt()
    {
        using var dir = new TempAuditDirectory();

        var first = AuditKeyFile.Resolve(dir.DatabasePath, null);
        var second = AuditKeyFile.Resolve(dir.DatabasePath, "");

        var keyFile = AuditKeyFile.PathFor(dir.DatabasePath);
        Assert.Equal(AuditKeyFile.GeneratedKeyBytes, Convert.FromBase64String(File.ReadAllText(keyFile)).Length);
        Assert.Equal(first.KeyId, second.KeyId);
        Assert.Equal(first.Pseudonymise("p-1"), second.Pseudonymise("p-1"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public void Resolve_ConfiguredKey_WinsAndKeepsItsId()
    {
        using var dir = new TempAuditDirectory();
        var key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

        var pseudonymiser = AuditKeyFile.Resolve(dir.DatabasePath, key, "2026-a");

        Assert.Equal("2026-a", pseudonymiser.KeyId);
        Assert.False(File.Exists(AuditKeyFile.PathFor(dir.DatabasePath)));
    }
}
