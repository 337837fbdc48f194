using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Tests.Domain;

public class Rfc3339TimeTests
{
    [Theory]
    [InlineData("2026-03-02T10:05:31Z", "2026-03-02T10:05:31.0000000+00:00")]
    [InlineData("2026-03-02t10:05:31z", "2026-03-02T10:05:31.0000000+00:00")]
    [InlineData("2026-03-02T10:05:31.25Z", "2026-03-02T10:05:31.2500000+00:00")]
    [InlineData("2026-03-02T11:05:31+01:00", "2026-03-02T11:05:31.0000000+01:00")]
    [InlineData("2026-03-02T05:05:31-05:00", "2026-03-02T05:05:31.0000000-05:00")]
    public void TryParse_Rfc3339DateTime_ReadWithItsOffset(string text, string expected)
    {
        Assert.True(Rfc3339Time.TryParse(text, out var time));
        Assert.Equal(expected, time.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("Mon, 02 Mar 2026 10:05:31 GMT")]
    [InlineData("2026-03-02T10:05:31 Z")]
    [InlineData("2026-03-02T10:05:31")]
    [InlineData("2026-03-02 10:05:31Z")]
    [InlineData("2026-03-02")]
    [InlineData("2026-03-02T10:05Z")]
    [InlineData("2026-02-30T10:05:31Z")]
    [InlineData("2026-03-02T10:05:31+0100")]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotAnRfc3339DateTime_False(string? text) =>
        Assert.False(Rfc3339Time.TryParse(text, out _));
}
