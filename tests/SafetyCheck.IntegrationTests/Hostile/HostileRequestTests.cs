using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using Xunit.Abstractions;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// Thousands of generated, oversized and mangled requests through the whole gRPC pipeline (authentication, limits,
/// decoding, validation, evaluation): every answer is a decision, INVALID_ARGUMENT or RESOURCE_EXHAUSTED, never
/// INTERNAL or UNKNOWN, and nothing is logged as an error but grpc-dotnet's own note on undecodable bodies.
/// Core's property test covers validation and evaluation alone with 100,000 requests; this covers the wire.
/// </summary>
public sealed class HostileRequestTests(ITestOutputHelper output)
{
    private const int Seed = 20261126;
    private const int MaxMessage = 16 * 1024;
    private const int Batch = 8;

    private static readonly string[] Systems = ["http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct", "urn:safetycheck:condition", "http://loinc.org", "", "urn:\u0000"];
    private static readonly string[] Codes = ["L20.9", "L209", "24079001", "eczema", "J45.909", "R50.9", "Z00.129", "999999999999", "", "....", "L20.9\n", "\u202eL20"];
    private static readonly string[] Zones = ["", "UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "../../etc/passwd", "Mars/Olympus", "/etc/localtime", "Europe//London", new string('Z', 70)];

    [Fact]
    public async Task Pipeline_GeneratedOversizedAndMangledRequests_NeverInternalOrUnknown()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            $"--SafetyCheck:Limits:MaxReceiveMessageSize={MaxMessage}",
            "--SafetyCheck:Limits:CallsPerSecondPerCaller=0",
        ]);
        var random = new Random(Seed);
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        using var http = host.CreateHttpClient();

        for (var i = 0; i < 3000; i += Batch)
        {
            var calls = Enumerable.Range(i, Batch).Select(n => OneAsync(n, host, http, random.Next())).ToArray();
            foreach (var (kind, status, detail) in await Task.WhenAll(calls))
            {
                var key = $"{kind} {status}";
                statuses[key] = statuses.GetValueOrDefault(key) + 1;
                var allowed = kind switch
                {
                    "oversized" => status is StatusCode.ResourceExhausted,
                    "plausible" => status is StatusCode.OK,
                    _ => status is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.ResourceExhausted,
                };
                if (!allowed && failures.Count < 10)
                {
                    failures.Add($"{kind}: {status} {detail}");
                }
            }
        }

        foreach (var (key, count) in statuses.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{key}: {count}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains(statuses.Keys, k => k.EndsWith(" OK", StringComparison.Ordinal));
        Assert.Contains(statuses.Keys, k => k.EndsWith(" InvalidArgument", StringComparison.Ordinal));
        Assert.Contains("oversized ResourceExhausted", statuses.Keys);
    }

    private static async Task<(string Kind, StatusCode Status, string Detail)> OneAsync(int n, TestServerHost host, HttpClient http, int seed)
    {
        var random = new Random(seed);
        switch (n % 5)
        {
            case 0:
                return ("generated", await CallAsync(host, Generated(random)), "");
            case 1:
                return ("plausible", await CallAsync(host, Plausible(random)), "");
            case 2:
                var big = Plausible(random);
                big.Conditions.Add(new Condition { System = Systems[0], Code = "L20.9", Display = new string('x', MaxMessage + random.Next(1, 4 * MaxMessage)) });
                return ("oversized", await CallAsync(host, big), "");
            default:
                var (status, detail) = await SendRawAsync(http, Mangled(random, random.Next(2) == 0 ? Plausible(random) : Generated(random)));
                return ("mangled", status, detail);
        }
    }

    private static async Task<StatusCode> CallAsync(TestServerHost host, CheckRequest request)
    {
        try
        {
            await host.Client.CheckAsync(request);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    /// <summary>A valid request: a child under 18 at the session, known codes, a planned session.</summary>
    private static CheckRequest Plausible(Random random)
    {
        var session = SampleRequests.SessionTime;
        var request = new CheckRequest
        {
            RequestId = $"plausible-{random.Next()}",
            Patient = new Patient { BirthDate = session.AddDays(-random.Next(0, 17 * 365)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
            Session = new Session
            {
                ScheduledAt = Timestamp.FromDateTimeOffset(session),
                TimeZone = Pick(random, ["", "UTC", "Europe/London", "America/New_York"]),
                Setting = (Setting)random.Next(0, 5),
                Pressure = (Pressure)random.Next(0, 4),
                MedicalRelease = random.Next(2) == 0,
                Areas = { Enumerable.Range(0, random.Next(0, 4)).Select(_ => (BodyArea)random.Next(1, 12)) },
            },
            Explain = random.Next(2) == 0,
        };
        if (random.Next(2) == 0)
        {
            request.Patient.GestationalAgeAtBirth = new GestationalAge { Weeks = random.Next(23, 43), Days = random.Next(0, 7) };
            request.Patient.BirthWeightGrams = random.Next(450, 5000);
        }

        (string System, string Code)[] known =
        [
            ("http://hl7.org/fhir/sid/icd-10-cm", "L20.9"), ("http://hl7.org/fhir/sid/icd-10-cm", "J45909"), ("http://hl7.org/fhir/sid/icd-10-cm", "R50.9"),
            ("http://snomed.info/sct", "24079001"), ("urn:safetycheck:condition", "eczema"), ("http://snomed.info/sct", "999999999999"),
        ];
        for (var c = random.Next(0, 4); c > 0; c--)
        {
            var (system, code) = Pick(random, known);
            request.Conditions.Add(new Condition { System = system, Code = code, Status = (ConditionStatus)random.Next(0, 3) });
        }

        if (random.Next(3) == 0)
        {
            request.Observations = new Observations { TemperatureCelsius = 35 + (random.NextDouble() * 5), MinutesSinceLastFeed = random.Next(0, 300) };
        }

        return request;
    }

    /// <summary>Every field drawn from valid values, near misses and garbage.</summary>
    private static CheckRequest Generated(Random random)
    {
        var request = new CheckRequest
        {
            RequestId = Text(random, random.Next(0, 90)),
            Explain = random.Next(2) == 0,
        };
        if (random.Next(8) != 0)
        {
            request.Patient = new Patient
            {
                PatientRef = Text(random, random.Next(0, 150)),
                BirthDate = Date(random),
            };
            if (random.Next(2) == 0)
            {
                request.Patient.GestationalAgeAtBirth = new GestationalAge { Weeks = random.Next(15, 50), Days = random.Next(-2, 9) };
            }

            if (random.Next(2) == 0)
            {
                request.Patient.BirthWeightGrams = random.Next(-100, 9000);
            }
        }

        var conditions = random.Next(10) == 0 ? random.Next(95, 130) : random.Next(0, 6);
        for (var c = 0; c < conditions; c++)
        {
            request.Conditions.Add(new Condition
            {
                System = Pick(random, Systems),
                Code = random.Next(4) == 0 ? Text(random, random.Next(0, 80)) : Pick(random, Codes),
                Display = Text(random, random.Next(0, 40)),
                Status = (ConditionStatus)random.Next(-1, 5),
                OnsetDate = random.Next(2) == 0 ? "" : Date(random),
                BodySite = (BodyArea)random.Next(-1, 14),
            });
        }

        if (random.Next(4) != 0)
        {
            request.Session = new Session
            {
                ScheduledAt = new Timestamp
                {
                    Seconds = random.Next(3) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.NextInt64(1_600_000_000, 1_900_000_000),
                    Nanos = random.Next(6) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(0, 999_999_999),
                },
                TimeZone = Pick(random, Zones),
                Setting = (Setting)random.Next(-1, 7),
                Pressure = (Pressure)random.Next(-1, 6),
                MedicalRelease = random.Next(2) == 0,
            };
            var areas = random.Next(12) == 0 ? random.Next(30, 60) : random.Next(0, 5);
            for (var a = 0; a < areas; a++)
            {
                request.Session.Areas.Add((BodyArea)random.Next(-1, 14));
            }
        }

        if (random.Next(2) == 0)
        {
            request.Observations = new Observations();
            if (random.Next(2) == 0)
            {
                request.Observations.TemperatureCelsius = Pick(random, [36.8, 39.5, 29.9, 45.1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon]);
            }

            if (random.Next(2) == 0)
            {
                request.Observations.MinutesSinceLastFeed = random.Next(-10, 20_000);
            }
        }

        return request;
    }

    /// <summary>A length-prefixed frame whose header, flags or body have been damaged.</summary>
    private static byte[] Mangled(Random random, CheckRequest request)
    {
        var payload = request.ToByteArray();
        switch (random.Next(7))
        {
            case 0:
                random.NextBytes(payload);
                break;
            case 1:
                for (var flips = random.Next(1, 8); flips > 0 && payload.Length > 0; flips--)
                {
                    payload[random.Next(payload.Length)] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 2:
                payload = payload[..random.Next(payload.Length + 1)];
                break;
            case 3:
                payload = [.. payload, .. Bytes(random, random.Next(1, 64))];
                break;
            case 4:
                // Deeply nested unknown groups and length-delimited fields.
                payload = [.. Enumerable.Repeat<byte>(0x0b, random.Next(50, 200)), .. payload];
                break;
            default:
                break;
        }

        var frame = new byte[5 + payload.Length];
        frame[0] = random.Next(6) == 0 ? (byte)random.Next(1, 256) : (byte)0;
        var declared = random.Next(5) == 0 ? (uint)random.NextInt64(0, uint.MaxValue) : (uint)payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declared);
        payload.CopyTo(frame, 5);
        return random.Next(10) == 0 ? frame[..random.Next(frame.Length)] : frame;
    }

    private static async Task<(StatusCode Status, string Detail)> SendRawAsync(HttpClient http, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/safetycheck.v1.SafetyCheck/Check")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (StatusCode.Unknown, $"HTTP {(int)response.StatusCode}");
        }

        var status = response.Headers.TryGetValues("grpc-status", out var h) ? h.First()
            : response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First()
            : null;
        var message = response.Headers.TryGetValues("grpc-message", out var m) ? m.First()
            : response.TrailingHeaders.TryGetValues("grpc-message", out var tm) ? tm.First()
            : "";
        return (status is null ? StatusCode.Unknown : (StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), Uri.UnescapeDataString(message));
    }

    private static string Date(Random random) => random.Next(6) switch
    {
        0 => "",
        1 => $"{random.Next(0, 10000):D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}",
        2 => Text(random, random.Next(1, 12)),
        _ => $"{random.Next(2007, 2027):D4}-{random.Next(1, 13):D2}-{random.Next(1, 29):D2}",
    };

    private static string Text(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(10) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0x80, 0x800),
                2 => (char)random.Next(0xD800, 0xE000),
                3 => '\u20ac',
                _ => (char)random.Next(32, 127),
            });
        }

        return builder.ToString();
    }

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
