using Microsoft.IdentityModel.Tokens;

namespace SafetyCheck.CdsHooks;

/// <summary>The keys an issuer holds under one key id, or that the keys it holds may no longer be used.</summary>
/// <param name="Keys">The keys with the id asked for; empty when there are none, and always when <paramref name="Stale"/>.</param>
/// <param name="Stale">
/// The issuer's JWKS could not be fetched for longer than <see cref="CdsHooksOptions.JwksMaxStaleMinutes"/> since the
/// last fetch that worked: the keys held then are not used.
/// </param>
internal sealed record KeyLookup(IReadOnlyList<JsonWebKey> Keys, bool Stale)
{
    public static KeyLookup Of(IReadOnlyList<JsonWebKey> keys) => new(keys, Stale: false);

    public static readonly KeyLookup TooOld = new([], Stale: true);
}
