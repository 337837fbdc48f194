namespace SafetyCheck.IntegrationTests.Readme;

/// <summary>
/// One executed console block of the README: its line, the fixture it needs (<c>audit-trail</c>, or none), and its
/// commands, each with the output the README shows for it.
/// </summary>
public sealed record ReadmeExample(int Line, string? Fixture, IReadOnlyList<ReadmeCommand> Commands)
{
    /// <summary>The fence info string that marks a block as executed: <c>```console readme-test</c> (optionally <c>fixture=NAME</c>).</summary>
    public const string Marker = "readme-test";

    /// <summary>
    /// Reads every block marked <see cref="Marker"/>: a command starts at a line beginning <c>$ </c> and goes on while
    /// its single quotes are unbalanced or it ends with a backslash; the lines after it, up to the next command, are its
    /// output. Other blocks, marked or not, are left alone.
    /// </summary>
    public static IReadOnlyList<ReadmeExample> Parse(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var examples = new List<ReadmeExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            var info = lines[i].Trim();
            if (!info.StartsWith("```", StringComparison.Ordinal) || !info[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(Marker))
            {
                continue;
            }

            var fixture = info.Split(' ').FirstOrDefault(w => w.StartsWith("fixture=", StringComparison.Ordinal))?["fixture=".Length..];
            var start = i + 1;
            var body = new List<string>();
            for (i = start; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            examples.Add(new ReadmeExample(start, fixture, ReadCommands(body)));
        }

        return examples;
    }

    private static List<ReadmeCommand> ReadCommands(List<string> body)
    {
        var commands = new List<ReadmeCommand>();
        for (var i = 0; i < body.Count;)
        {
            if (!body[i].StartsWith("$ ", StringComparison.Ordinal))
            {
                throw new FormatException($"an executed block must start with a '$ ' command line, not '{body[i]}'");
            }

            var command = body[i][2..];
            i++;
            while ((command.Count(c => c == '\'') % 2 == 1 || command.EndsWith('\\')) && i < body.Count)
            {
                command += "\n" + body[i];
                i++;
            }

            var output = new List<string>();
            for (; i < body.Count && !body[i].StartsWith("$ ", StringComparison.Ordinal); i++)
            {
                output.Add(body[i]);
            }

            commands.Add(new ReadmeCommand(command, output));
        }

        return commands;
    }
}
