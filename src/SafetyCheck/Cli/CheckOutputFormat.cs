namespace SafetyCheck.Cli;

/// <summary>How <c>check</c> writes its findings (<c>--format</c>).</summary>
internal enum CheckOutputFormat
{
    /// <summary><c>file:line:col: error: message</c> lines on stderr, the summary on stdout.</summary>
    Text = 0,

    /// <summary>One JSON document on stdout: the rule set, the counts and every diagnostic.</summary>
    Json,

    /// <summary>A SARIF 2.1.0 log on stdout, for code-scanning and CI systems.</summary>
    Sarif,
}
