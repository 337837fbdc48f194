namespace SafetyCheck.RuleSets;

/// <summary>Settings of hot reload (<c>SafetyCheck:Reload</c>): how <c>serve</c> notices edits of the rule directory.</summary>
internal sealed class RuleReloadOptions
{
    public const string Section = "SafetyCheck:Reload";

    /// <summary>Watch the rule directory and reload when it changes. Default true; false leaves <c>ReloadRules</c> as the only way.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>
    /// Quiet time after the last change seen before the directory is read, in milliseconds (50–60000, default 750):
    /// an editor's save, or a checkout touching many files, becomes one reload.
    /// </summary>
    public int DebounceMilliseconds { get; set; } = 750;

    /// <summary>
    /// How often the directory is also compared with what was last seen (names, sizes, modification times), in seconds
    /// (0 turns it off; at most 3600; default 5): the fallback for file systems whose change notifications are lost
    /// (network shares, some container mounts) or overflow.
    /// </summary>
    public int PollSeconds { get; set; } = 5;
}
