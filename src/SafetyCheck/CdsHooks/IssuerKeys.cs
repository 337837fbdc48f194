using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.IdentityModel.Tokens;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The public keys of each allow-listed issuer: the inline JWK Set, or the one at its JWKS URL, fetched when first
/// needed, kept for <see cref="CdsHooksOptions.JwksCacheMinutes"/>, and fetched again sooner (at most every
/// <see cref="RefetchInterval"/>) when a token names a key id it does not hold, so that key rotation needs no restart.
/// When a fetch fails the keys held are kept, so a short outage of the JWKS URL does not stop the checks, but for no
/// longer than <see cref="CdsHooksOptions.JwksMaxStaleMinutes"/> after the last fetch that worked: past that, the
/// issuer's tokens are refused until a fetch works again, so a key the EHR has withdrawn is not trusted for as long as
/// its JWKS URL is unreachable. Only RSA and EC public keys are kept. Thread-safe.
/// </summary>
internal sealed class IssuerKeys(IOptions<CdsHooksOptions> options, FhirHttp http, TimeProvider clock, ILogger<IssuerKeys> log)
{
    /// <summary>Shortest time between two fetches of one issuer's JWKS.</summary>
    public static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Fetched> _fetched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _fetching = new(StringComparer.Ordinal);

    /// <summary>
    /// The issuer's keys whose id is <paramref name="kid"/>: empty when it has none (or its JWKS has never been fetched);
    /// <see cref="KeyLookup.Stale"/> when its JWKS has not been fetched for longer than
    /// <see cref="CdsHooksOptions.JwksMaxStaleMinutes"/>. A failed fetch is logged (at most once per
    /// <see cref="RefetchInterval"/> per URL, as fetches are).
    /// </summary>
    public async Task<KeyLookup> FindAsync(CdsIssuerOptions issuer, string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!string.IsNullOrWhiteSpace(issuer.Jwks))
        {
            return KeyLookup.Of(Select(Parse(issuer.Jwks), kid));
        }

        var url = issuer.JwksUrl!;
        var settings = options.Value;
        var cacheFor = TimeSpan.FromMinutes(settings.JwksCacheMinutes);
        var maxStale = TimeSpan.FromMinutes(settings.JwksMaxStaleMinutes);
        var now = clock.GetUtcNow();
        if (_fetched.TryGetValue(url, out var cached) && now < cached.Until && cached.Lookup(kid, now, maxStale) is { Keys.Count: > 0 } found)
        {
            return found;
        }

        var gate = _fetching.GetOrAdd(url, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = clock.GetUtcNow();

            // Fetched (or tried) within the last 30 s: what is held answers, unless it is too old to be used.
            if (_fetched.TryGetValue(url, out cached) && (now - cached.At < RefetchInterval || (now < cached.Until && cached.Lookup(kid, now, maxStale).Keys.Count > 0)))
            {
                return cached.Lookup(kid, now, maxStale);
            }

            var json = await http.GetJsonAsync(new Uri(url), accessToken: null, accept: "application/json", cancellationToken).ConfigureAwait(false);
            Fetched fetched;
            if (json.Failure is { } failure)
            {
                // The keys held are kept, and the URL tried again after JwksCacheMinutes (sooner for an unknown kid),
                // but no later than the keys' deadline: a token arriving after it brings a fetch first, and is refused
                // only if that fetch fails too.
                var succeeded = cached?.Succeeded;
                var until = now + cacheFor;
                if (succeeded is { } last && last + maxStale < until)
                {
                    until = last + maxStale;
                }

                fetched = new Fetched(cached?.Keys ?? [], now, until, succeeded);
                if (fetched.IsStale(now, maxStale))
                {
                    CdsHooksLog.JwksStale(log, url, failure, settings.JwksMaxStaleMinutes, succeeded!.Value.ToString("O", CultureInfo.InvariantCulture));
                }
                else
                {
                    CdsHooksLog.JwksUnavailable(log, url, failure);
                }
            }
            else
            {
                fetched = new Fetched(Parse(json.Body!), now, now + (cacheFor < maxStale ? cacheFor : maxStale), now);
            }

            _fetched[url] = fetched;
            return fetched.Lookup(kid, now, maxStale);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The RSA and EC public keys of a JWK Set document; empty when it is not one.</summary>
    public static IReadOnlyList<JsonWebKey> Parse(string json)
    {
        try
        {
            return [.. new JsonWebKeySet(json).Keys.Where(IsUsablePublicKey)];
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    /// <summary>An RSA or EC key with no private part, meant for signatures (or for no stated use).</summary>
    public static bool IsUsablePublicKey(JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve
            && string.IsNullOrEmpty(key.D)
            && (string.IsNullOrEmpty(key.Use) || key.Use == JsonWebKeyUseNames.Sig);
    }

    /// <summary>
    /// Whether <paramref name="key"/> is one a token signed with <paramref name="alg"/> may be verified with (RFC 8725
    /// §3.1: the key decides the algorithm, not the token): its <c>kty</c> is the algorithm's (RSA for RS and PS, EC for
    /// ES), an EC key's <c>crv</c> is the one the algorithm names (ES256 P-256, ES384 P-384, ES512 P-521), an RSA key
    /// has at least 2048 bits, its <c>alg</c>, when the JWK states one, is <paramref name="alg"/>, and its
    /// <c>key_ops</c>, when stated, include <c>verify</c>.
    /// </summary>
    public static bool Fits(JsonWebKey key, string alg)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(alg);
        if (!string.IsNullOrEmpty(key.Alg) && !string.Equals(key.Alg, alg, StringComparison.Ordinal))
        {
            return false;
        }

        if (key.KeyOps.Count > 0 && !key.KeyOps.Contains("verify"))
        {
            return false;
        }

        return alg switch
        {
            SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaSha384 or SecurityAlgorithms.RsaSha512
                or SecurityAlgorithms.RsaSsaPssSha256 or SecurityAlgorithms.RsaSsaPssSha384 or SecurityAlgorithms.RsaSsaPssSha512
                => key.Kty == JsonWebAlgorithmsKeyTypes.RSA && RsaBits(key) >= 2048,
            SecurityAlgorithms.EcdsaSha256 => key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && key.Crv == JsonWebKeyECTypes.P256,
            SecurityAlgorithms.EcdsaSha384 => key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && key.Crv == JsonWebKeyECTypes.P384,
            SecurityAlgorithms.EcdsaSha512 => key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && key.Crv == JsonWebKeyECTypes.P521,
            _ => false,
        };
    }

    private static int RsaBits(JsonWebKey key)
    {
        try
        {
            var modulus = Base64UrlEncoder.DecodeBytes(key.N ?? "");
            var leadingZeros = modulus.TakeWhile(b => b == 0).Count();
            return (modulus.Length - leadingZeros) * 8;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return 0;
        }
    }

    private static List<JsonWebKey> Select(IReadOnlyList<JsonWebKey> keys, string kid) =>
        [.. keys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal))];

    /// <summary>One JWKS URL's keys.</summary>
    /// <param name="Keys">The keys of the last fetch that worked; empty if none has.</param>
    /// <param name="At">When it was last fetched, or tried.</param>
    /// <param name="Until">Until when a token whose kid is in <paramref name="Keys"/> needs no fetch; never past the keys' deadline.</param>
    /// <param name="Succeeded">When the last fetch that worked was; null if none has.</param>
    private sealed record Fetched(IReadOnlyList<JsonWebKey> Keys, DateTimeOffset At, DateTimeOffset Until, DateTimeOffset? Succeeded)
    {
        public bool IsStale(DateTimeOffset now, TimeSpan maxStale) => Succeeded is { } last && now >= last + maxStale;

        public KeyLookup Lookup(string kid, DateTimeOffset now, TimeSpan maxStale) =>
            Succeeded is null ? KeyLookup.NoneFetched : IsStale(now, maxStale) ? KeyLookup.TooOld : KeyLookup.Of(Select(Keys, kid));
    }
}
