using System.Globalization;
using System.Text;
using SafetyCheck.Audit.Json;

namespace SafetyCheck.Audit.Tests.Json;

public class AuditTimeTests
{
    /// <summary>The audit form as a custom pattern: what records written before the fast path carry.</summary>
    private const string Pattern = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    [Theory]
    [InlineData("2026-03-02T10:00:00.0000000Z")]
    [InlineData("0001-01-01T00:00:00.0000000Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("2024-02-29T23:59:59.0000001Z")]
    public void Write_KnownInstants_TheAuditFormAndReadBackUnchanged(string text)
    {
        var instant = AuditTime.Read(text);

        Assert.Equal(text, AuditTime.Write(instant));
        Assert.Equal(instant, AuditTime.Read(AuditTime.Write(instant)));
    }

    [Fact]
    public void Write_ManyInstantsInAnyOffset_SameTextAsThePatternInBothForms()
    {
        var random = new Random(20261206);
        Span<byte> utf8 = stackalloc byte[AuditTime.Length];
        for (var i = 0; i < 100_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var instant = new DateTimeOffset(new DateTime(ticks, DateTimeKind.Unspecified), offset);
            var expected = instant.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

            Assert.Equal(expected, AuditTime.Write(instant));
            AuditTime.Write(instant, utf8);
            Assert.Equal(expected, Encoding.UTF8.GetString(utf8));
        }
    }

    [Fact]
    public void Write_DestinationTooShort_Refused()
    {
        var destination = new byte[AuditTime.Length - 1];

        Assert.Throws<ArgumentException>(() => AuditTime.Write(DateTimeOffset.UnixEpoch, destination));
    }
}
