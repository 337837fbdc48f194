using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafetyCheck.CdsHooks;

namespace SafetyCheck.IntegrationTests.CdsHooks;

public sealed class TokenReplayCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryRemember_SameIdTwice_SecondIsReplayed_UntilItExpires()
    {
        var clock = new FakeTimeProvider(Now);
        var cache = new TokenReplayCache(Options.Create(new CdsHooksOptions()), clock);

        var first = cache.TryRemember("iss", "jti-1", Now.AddMinutes(5));
        var again = cache.TryRemember("iss", "jti-1", Now.AddMinutes(5));
        var otherIssuer = cache.TryRemember("other", "jti-1", Now.AddMinutes(5));
        clock.Advance(TimeSpan.FromMinutes(6));
        var afterExpiry = cache.TryRemember("iss", "jti-1", Now.AddMinutes(11));

        Assert.Equal(ReplayVerdict.First, first);
        Assert.Equal(ReplayVerdict.Replayed, again);
        Assert.Equal(ReplayVerdict.First, otherIssuer);
        Assert.Equal(ReplayVerdict.First, afterExpiry);
    }

    [Fact]
    public void Forget_OnlyThatIdOfThatIssuer_CanBeRememberedOnceMore()
    {
        var cache = new TokenReplayCache(Options.Create(new CdsHooksOptions()), new FakeTimeProvider(Now));
        cache.TryRemember("iss", "jti-1", Now.AddMinutes(5));
        cache.TryRemember("other", "jti-1", Now.AddMinutes(5));

        cache.Forget("iss", "jti-1");
        var onceMore = cache.TryRemember("iss", "jti-1", Now.AddMinutes(5));
        var thenReplayed = cache.TryRemember("iss", "jti-1", Now.AddMinutes(5));
        var otherStillRemembered = cache.TryRemember("other", "jti-1", Now.AddMinutes(5));

        Assert.Equal(ReplayVerdict.First, onceMore);
        Assert.Equal(ReplayVerdict.Replayed, thenReplayed);
        Assert.Equal(ReplayVerdict.Replayed, otherStillRemembered);
    }

    [Fact]
    public void TryRemember_Full_RefusesUntilIdsExpire()
    {
        var clock = new FakeTimeProvider(Now);
        var cache = new TokenReplayCache(Options.Create(new CdsHooksOptions { ReplayCacheSize = 100 }), clock);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(ReplayVerdict.First, cache.TryRemember("iss", "jti-" + i, Now.AddMinutes(1)));
        }

        var whileFull = cache.TryRemember("iss", "one-more", Now.AddMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(2));
        var afterExpiry = cache.TryRemember("iss", "one-more", Now.AddMinutes(3));

        Assert.Equal(ReplayVerdict.Full, whileFull);
        Assert.Equal(ReplayVerdict.First, afterExpiry);
        Assert.Equal(1, cache.Count);
    }
}
