using Microsoft.IdentityModel.Tokens;

namespace SafetyCheck.CdsHooks;

/// <summary>The keys an issuer holds under one key id, or why it holds none it may use.</summary>
/// <param name="Keys">The keys with the id asked for; empty when there are none, and always when <paramref name="Stale"/> or <paramref name="NeverFetched"/>.</param>
/// <param name="Stale">
/// The issuer's JWKS could not be fetched for longer than <see cref="CdsHooksOptions.JwksMaxStaleMinutes"/> since the
/// last fetch that worked: the keys held then are not used.
/// </param>
/// <param name="NeverFetched">No fetch of the issuer's JWKS has worked since the service started, so it holds no keys at all.</param>
internal sealed record KeyLookup(IReadOnlyList<JsonWebKey> Keys, bool Stale, bool NeverFetched = false)
{
    public static KeyLookup Of(IReadOnlyList<JsonWebKey> keys) => new(keys, Stale: false);

    public static readonly KeyLookup TooOld = new([], Stale: true);

    public static readonly KeyLookup NoneFetched = new([], Stale: false, NeverFetched: true);
}
