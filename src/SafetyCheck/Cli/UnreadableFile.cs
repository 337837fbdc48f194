namespace SafetyCheck.Cli;

/// <summary>Why a file named on the command line could not be read, in words rather than .NET's (which names neither the option nor, for a directory, what is wrong).</summary>
internal static class UnreadableFile
{
    /// <summary><c>--checkpoint: cannot read cp.txt: no such file</c>; without <paramref name="option"/> (a command's argument), <c>cannot read cp.txt: …</c>.</summary>
    public static string Message(string? option, string file, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{(option is null ? "" : $"{option}: ")}cannot read {file}: {Reason(file, exception)}";
    }

    /// <summary>What is wrong with <paramref name="file"/>: missing, a directory, not permitted, else .NET's message.</summary>
    public static string Reason(string file, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Directory.Exists(file))
        {
            return "it is a directory, not a file";
        }

        return exception switch
        {
            FileNotFoundException => "no such file",
            DirectoryNotFoundException => "no such file (its folder does not exist)",
            UnauthorizedAccessException => "permission denied",
            _ => exception.Message,
        };
    }
}
