using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Checkpoints;

/// <summary>
/// A signed statement of the chain's size and head hash at a time, for an auditor to keep outside the service.
/// Against a kept checkpoint, verification detects a truncated tail (fewer records than the checkpoint) and a
/// rewritten chain (another hash at the checkpoint's size), which a hash chain alone cannot.
/// <para>Text form (UTF-8, <c>\n</c> line ends); the signature is ECDSA P-256 with SHA-256, DER-encoded, over the body
/// (every line up to and including the <c>time:</c> line and its newline), so <c>openssl dgst -sha256 -verify</c> can
/// check it too:</para>
/// <code>
/// SafetyCheck audit checkpoint v1
/// origin: &lt;origin&gt;
/// size: &lt;records&gt;
/// head: &lt;lowercase hex entry hash&gt;
/// time: &lt;RFC 3339 UTC&gt;
///
/// signature: ecdsa-p256-sha256 &lt;key id&gt; &lt;base64 signature&gt;
/// </code>
/// </summary>
/// <param name="Origin">Names the log (one line), e.g. the host and database.</param>
/// <param name="Size">Records in the chain when signed.</param>
/// <param name="HeadHash">Entry hash of record <paramref name="Size"/> (<see cref="AuditHead.GenesisHash"/> when 0).</param>
/// <param name="Time">When it was signed (UTC).</param>
/// <param name="KeyId">First 16 hex digits of SHA-256 of the signing key's SubjectPublicKeyInfo.</param>
/// <param name="SignatureBase64">Base64 DER ECDSA signature over <see cref="Body"/>.</param>
public sealed record Checkpoint(string Origin, long Size, string HeadHash, DateTimeOffset Time, string KeyId, string SignatureBase64)
{
    /// <summary>First line of every checkpoint.</summary>
    public const string Header = "SafetyCheck audit checkpoint v1";

    /// <summary>Signature algorithm named on the signature line.</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>The signed text.</summary>
    public string Body => BodyOf(Origin, Size, HeadHash, Time);

    /// <summary>Signs <paramref name="head"/> at <paramref name="time"/> with a P-256 private key.</summary>
    /// <exception cref="ArgumentException">The origin is empty or has a line break, or the key is not P-256.</exception>
    public static Checkpoint Create(string origin, AuditHead head, DateTimeOffset time, ECDsa signingKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (origin.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("An origin is one line.", nameof(origin));
        }

        RequireP256(signingKey);
        var utc = time.ToUniversalTime();
        var body = BodyOf(origin, head.Size, head.HeadHash, utc);
        var signature = signingKey.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new Checkpoint(origin, head.Size, head.HeadHash, AuditTime.Read(AuditTime.Write(utc)), KeyIdOf(signingKey), Convert.ToBase64String(signature));
    }

    /// <summary>Reads the text form.</summary>
    /// <exception cref="FormatException">The text is not a checkpoint.</exception>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length < 7 || lines[0] != Header || lines[5].Length != 0)
        {
            throw new FormatException("not a SafetyCheck audit checkpoint (header, five body lines, a blank line, a signature line)");
        }

        var origin = Field(lines[1], "origin");
        var size = long.Parse(Field(lines[2], "size"), NumberStyles.None, CultureInfo.InvariantCulture);
        var head = Field(lines[3], "head");
        if (head.Length != 64 || !head.All(char.IsAsciiHexDigitLower))
        {
            throw new FormatException("the head is not 64 lowercase hex digits");
        }

        var time = AuditTime.Read(Field(lines[4], "time"));
        var signature = Field(lines[6], "signature").Split(' ');
        if (signature.Length != 3 || signature[0] != Algorithm)
        {
            throw new FormatException($"the signature line is not '{Algorithm} <key id> <base64>'");
        }

        _ = Convert.FromBase64String(signature[2]);
        return new Checkpoint(origin, size, head, time, signature[1], signature[2]);
    }

    /// <summary>The key id of <paramref name="key"/>: the first 16 hex digits of SHA-256 of its SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>The text form (see the type's remarks), ending with a newline.</summary>
    public string ToText() => $"{Body}\nsignature: {Algorithm} {KeyId} {SignatureBase64}\n";

    /// <summary>True when the signature verifies with <paramref name="publicKey"/> (a P-256 public or private key).</summary>
    public bool VerifySignature(ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.KeySize != 256)
        {
            return false;
        }

        try
        {
            return publicKey.VerifyData(
                Encoding.UTF8.GetBytes(Body), Convert.FromBase64String(SignatureBase64), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private static string BodyOf(string origin, long size, string headHash, DateTimeOffset time) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Header}\norigin: {origin}\nsize: {size}\nhead: {headHash}\ntime: {AuditTime.Write(time)}\n");

    private static string Field(string line, string name) =>
        line.StartsWith(name + ": ", StringComparison.Ordinal) ? line[(name.Length + 2)..] : throw new FormatException($"expected the '{name}:' line, found '{line}'");

    private static void RequireP256(ECDsa key)
    {
        if (key.KeySize != 256)
        {
            throw new ArgumentException("Checkpoints are signed with ECDSA P-256.", nameof(key));
        }
    }
}
