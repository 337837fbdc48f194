namespace SafetyCheck.Cli;

/// <summary>
/// The composition root as the verbs see it. The root itself (Hosting) composes every feature, the CLI included, and is
/// imported by none of them: it hands the CLI this, so that <c>serve</c>, <c>eval</c>, <c>check</c> and <c>test</c>
/// run on the same registrations and a clinician's <c>eval</c> answers exactly as the service does.
/// </summary>
internal interface ICompositionRoot
{
    /// <summary>The gRPC service for <c>serve</c>, built and not started, logging as <paramref name="environment"/> says.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid.</exception>
    WebApplication BuildServer(ServeSettings settings, CliEnvironment environment);

    /// <summary>
    /// The services without a web host, for the verbs that decide, check, test or report from the command line; the
    /// console shows log lines only when <paramref name="verbose"/> (the authoring verbs print their results alone
    /// otherwise). Other log providers (a test's sink) keep every line either way.
    /// </summary>
    ServiceProvider BuildServices(IConfiguration configuration, CliEnvironment environment, bool verbose);
}
