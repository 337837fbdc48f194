using System.Text;
using Google.Protobuf.WellKnownTypes;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>Check requests for the fuzz runs: plausible ones, and ones with every field drawn from valid values, near misses and garbage.</summary>
internal static class GeneratedRequests
{
    private static readonly string[] Systems = ["http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct", "urn:safetycheck:condition", "http://loinc.org", "", "urn:\u0000"];
    private static readonly string[] Codes = ["L20.9", "L209", "24079001", "eczema", "J45.909", "R50.9", "Z00.129", "999999999999", "", "....", "L20.9\n", "\u202eL20"];
    private static readonly string[] Zones = ["", "UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "../../etc/passwd", "Mars/Olympus", "/etc/localtime", "Europe//London", new string('Z', 70)];

    /// <summary>A valid request: a child under 18 at the session, known codes, a planned session.</summary>
    public static CheckRequest Plausible(Random random)
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
    public static CheckRequest Generated(Random random)
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

    private static string Date(Random random) => random.Next(6) switch
    {
        0 => "",
        1 => $"{random.Next(0, 10000):D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}",
        2 => Text(random, random.Next(1, 12)),
        _ => $"{random.Next(2007, 2027):D4}-{random.Next(1, 13):D2}-{random.Next(1, 29):D2}",
    };

    public static string Text(Random random, int length)
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

    public static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
