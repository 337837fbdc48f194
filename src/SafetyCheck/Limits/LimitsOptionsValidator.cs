namespace SafetyCheck.Limits;

/// <summary>Checks <see cref="LimitsOptions"/> at start and reports every bad setting at once.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void AtLeast(string key, int value, int minimum)
        {
            if (value < minimum)
            {
                failures.Add($"{LimitsOptions.Section}:{key} must be at least {minimum} (got {value}).");
            }
        }

        AtLeast(nameof(LimitsOptions.MaxReceiveMessageSize), options.MaxReceiveMessageSize, 1024);
        AtLeast(nameof(LimitsOptions.MaxConcurrentCalls), options.MaxConcurrentCalls, 1);
        AtLeast(nameof(LimitsOptions.MaxQueuedCalls), options.MaxQueuedCalls, 0);
        AtLeast(nameof(LimitsOptions.CallsPerSecondPerCaller), options.CallsPerSecondPerCaller, 0);
        AtLeast(nameof(LimitsOptions.MaxConcurrentConnections), options.MaxConcurrentConnections, 0);
        AtLeast(nameof(LimitsOptions.MaxStreamsPerConnection), options.MaxStreamsPerConnection, 1);
        AtLeast(nameof(LimitsOptions.ShutdownTimeoutSeconds), options.ShutdownTimeoutSeconds, 0);
        AtLeast(nameof(LimitsOptions.MaxConnectionsPerAddress), options.MaxConnectionsPerAddress, 0);
        AtLeast(nameof(LimitsOptions.IdleTimeoutSeconds), options.IdleTimeoutSeconds, 1);
        AtLeast(nameof(LimitsOptions.RequestHeadersTimeoutSeconds), options.RequestHeadersTimeoutSeconds, 1);
        AtLeast(nameof(LimitsOptions.HandshakeTimeoutSeconds), options.HandshakeTimeoutSeconds, 1);
        AtLeast(nameof(LimitsOptions.KeepAlivePingDelaySeconds), options.KeepAlivePingDelaySeconds, 0);
        AtLeast(nameof(LimitsOptions.KeepAlivePingTimeoutSeconds), options.KeepAlivePingTimeoutSeconds, 1);
        foreach (var url in HealthListener.Split(options.HealthUrls))
        {
            if (HealthListener.Problem(url) is { } problem)
            {
                failures.Add($"{LimitsOptions.Section}:{nameof(LimitsOptions.HealthUrls)}: '{url}' {problem}.");
            }
        }

        if (options.CallsPerSecondPerCaller > 0 && options.CallBurstPerCaller < options.CallsPerSecondPerCaller)
        {
            failures.Add($"{LimitsOptions.Section}:{nameof(LimitsOptions.CallBurstPerCaller)} must be at least CallsPerSecondPerCaller ({options.CallsPerSecondPerCaller}; got {options.CallBurstPerCaller}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
