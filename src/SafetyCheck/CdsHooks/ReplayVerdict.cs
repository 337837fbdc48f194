namespace SafetyCheck.CdsHooks;

/// <summary>Whether a token id was seen before (<see cref="TokenReplayCache"/>).</summary>
internal enum ReplayVerdict
{
    /// <summary>Not seen before; now remembered.</summary>
    First,

    /// <summary>Seen before, and its token has not expired: the token is being used again.</summary>
    Replayed,

    /// <summary>The cache is full of unexpired ids: the token cannot be remembered, so it is not accepted.</summary>
    Full,
}
