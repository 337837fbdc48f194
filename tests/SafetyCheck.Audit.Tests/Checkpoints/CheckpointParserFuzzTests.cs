using System.Security.Cryptography;
using System.Text;
using CsCheck;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Tests.Checkpoints;

/// <summary>
/// The checkpoint parser under generated and mutated text: whatever a caller or a file holds, <see cref="Checkpoint.Parse"/>
/// returns a checkpoint that writes back to exactly the text it read, or throws <see cref="FormatException"/> — never
/// another exception (VerifyLog maps FormatException to INVALID_ARGUMENT and the CLI to exit 2). CI runs
/// <see cref="Iterations"/> per property; set <c>SAFETYCHECK_FUZZ_ITERATIONS</c> (e.g. 1000000) for a longer run.
/// </summary>
public class CheckpointParserFuzzTests
{
    private static readonly long Iterations =
        long.TryParse(Environment.GetEnvironmentVariable("SAFETYCHECK_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 20_000;

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static readonly Gen<string> Revision = Gen.Char["0123456789abcdef"].Array[64].Select(c => new string(c));

    private static readonly Gen<string> Valid = Gen.Select(
        Gen.String[1, 30].Where(s => !string.IsNullOrWhiteSpace(s) && s.IndexOfAny(['\r', '\n']) < 0),
        Gen.Long[0, long.MaxValue],
        Revision,
        Revision.Array[0, 4],
        Gen.Long[0, 3_155_378_975_999_999_999L],
        Gen.Bool,
        (origin, size, head, revisions, ticks, v2) => Checkpoint.Create(
            origin, new AuditHead(size, head), v2 ? revisions : null, new DateTimeOffset(ticks, TimeSpan.Zero), Checkpoint.KeyIdOf(Key),
            body => Key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)).ToText());

    /// <summary>Near misses a person or a tool could make of one line.</summary>
    private static readonly Gen<string> LineMutation = Gen.OneOfConst(
        "", " ", "size: 9223372036854775808", "size: 18446744073709551616", "size: 1e3", "size: -1", "size: +1", "size: 0x10", "size: ١٢",
        "revisions: -1", "revisions: 99999999999", "revisions: 100001", "revision: " + new string('A', 64), "head: " + new string('0', 63),
        "time: 9999-12-31T23:59:59.9999999Z", "time: 0001-01-01T00:00:00.0000000Z", "time: 2026-03-02T10:00:00.0000000+01:00",
        "signature: ecdsa-p256-sha256 0123456789abcdef ====", "signature: ecdsa-p256-sha256 0123456789abcdef", "\u0000", "origin: \r",
        "SafetyCheck audit checkpoint v1", "SafetyCheck audit checkpoint v2");

    private static readonly Gen<string> Mutated = Gen.Select(Valid, Gen.Int[0, 12], Gen.Int[0, 3], LineMutation, Gen.String[0, 20], (text, line, how, replacement, noise) =>
    {
        var lines = text.Split('\n').ToList();
        var at = line % lines.Count;
        switch (how)
        {
            case 0:
                lines[at] = replacement;
                break;
            case 1:
                lines.Insert(at, replacement);
                break;
            case 2:
                lines.RemoveAt(at);
                break;
            default:
                lines[at] = lines[at].Length == 0 ? noise : lines[at][..(noise.Length % lines[at].Length)] + noise;
                break;
        }

        return string.Join('\n', lines);
    });

    private static readonly Gen<string> Bytes = Gen.Byte.Array[0, 400].Select(b => Encoding.UTF8.GetString(b));

    [Fact]
    public void Parse_ValidCheckpoint_RoundTripsExactly() =>
        Valid.Sample(text => Checkpoint.Parse(text).ToText() == text, iter: Iterations);

    [Fact]
    public void Parse_MutatedCheckpoint_ReadsBackExactlyOrIsAFormatException() =>
        Mutated.Sample(ParsesExactlyOrRefuses, iter: Iterations);

    [Fact]
    public void Parse_ArbitraryText_ReadsBackExactlyOrIsAFormatException() =>
        Gen.Frequency((1, Bytes), (1, Gen.String[0, 300])).Sample(ParsesExactlyOrRefuses, iter: Iterations);

    private static bool ParsesExactlyOrRefuses(string text)
    {
        Checkpoint parsed;
        try
        {
            parsed = Checkpoint.Parse(text);
        }
        catch (FormatException)
        {
            return true;
        }

        // Accepted text is the written form (a CRLF file and blank lines after the signature are tolerated).
        return parsed.ToText().TrimEnd('\n') == text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
    }
}
