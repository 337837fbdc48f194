namespace SafetyCheck.Cli;

/// <summary>The process exit codes, per verb as <c>design.md</c> lists them.</summary>
internal static class ExitCodes
{
    /// <summary>eval decided; check clean; test all passed.</summary>
    public const int Ok = 0;

    /// <summary>Cannot run: invalid rule set, unreadable input, bad options, service failed to start.</summary>
    public const int CannotRun = 1;

    /// <summary>Any verb: a bad argument (<see cref="BadCommandLine"/>). eval: the request is invalid. test: a case failed or a rule is fired by no case.</summary>
    public const int Rejected = 2;

    /// <summary>serve: stopped, but the audit store did not close cleanly (a write was still running at the shutdown bound).</summary>
    public const int StoreNotClosed = 3;
}
