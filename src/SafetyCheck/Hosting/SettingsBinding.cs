using System.Text.RegularExpressions;

namespace SafetyCheck.Hosting;

/// <summary>
/// Binds an options section so that a setting that cannot be converted (<c>MaxConcurrentCalls=abc</c>,
/// <c>CommitStallSeconds=5s</c>) fails as a bad setting (<see cref="OptionsValidationException"/>, one line naming it)
/// wherever the options are first read: while the host is built (Kestrel and gRPC read <c>SafetyCheck:Limits</c> then),
/// at start, or later.
/// </summary>
internal static partial class SettingsBinding
{
    /// <summary>
    /// Binds <paramref name="section"/> to the options; with <paramref name="showValue"/> false (a section that holds
    /// secrets) a value that cannot be converted is not quoted in the error.
    /// </summary>
    public static OptionsBuilder<TOptions> BindSection<TOptions>(this OptionsBuilder<TOptions> builder, string section, bool showValue = true)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Configure<IConfiguration>((options, configuration) => Bind(configuration, section, options, builder.Name, showValue));
    }

    /// <summary>
    /// The options in <paramref name="section"/> read now (registration code that needs a setting before the service
    /// provider exists), defaults where unset; a value that cannot be converted fails as in <see cref="BindSection"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">A value cannot be converted to its setting's type.</exception>
    public static TOptions Read<TOptions>(IConfiguration configuration, string section, bool showValue = true)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new TOptions();
        Bind(configuration, section, options, Options.DefaultName, showValue);
        return options;
    }

    private static void Bind<TOptions>(IConfiguration configuration, string section, TOptions options, string name, bool showValue)
        where TOptions : class
    {
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            var message = showValue ? ex.Message : QuotedValue().Replace(ex.Message, "value at '", 1);
            throw new OptionsValidationException(name, typeof(TOptions), [message]);
        }
    }

    // The binder's "Failed to convert configuration value 'VALUE' at 'PATH' to type 'TYPE'."
    [GeneratedRegex("value '.*' at '", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedValue();
}
