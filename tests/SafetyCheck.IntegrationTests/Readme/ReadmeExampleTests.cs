using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Readme;

/// <summary>
/// The README's executed examples (console blocks marked <c>```console readme-test</c>) run as a reader would run them:
/// in a fresh directory holding the repository's rules and seeds, through bash, with the built command line standing
/// in for <c>dotnet run --project src/SafetyCheck --</c> and HOME in that directory. Each command's output (stdout and
/// stderr) must be what the README shows, once ids, times, hashes and rule set versions are masked (and the directory
/// is written <c>$PWD</c>, HOME <c>~</c>); a shown line
/// <c>...</c> stands for any lines. The fixture <c>audit-trail</c> first serves every request under seeds/ once, so
/// that <c>.safetycheck/audit.db</c> holds their decisions.
/// </summary>
public sealed class ReadmeExampleTests
{
    private static readonly string Readme = Path.Combine(TestPaths.RepositoryRoot, "README.md");

    public static TheoryData<int> ExecutedBlocks()
    {
        var data = new TheoryData<int>();
        foreach (var example in ReadmeExample.Parse(File.ReadAllText(Readme)))
        {
            data.Add(example.Line);
        }

        return data;
    }

    [Fact]
    public void Parse_Readme_HasExecutedBlocks() =>
        Assert.True(ReadmeExample.Parse(File.ReadAllText(Readme)).Count >= 3, "the README should mark its console examples as executed");

    [Theory]
    [MemberData(nameof(ExecutedBlocks))]
    public async Task Example_RunInAFreshDirectory_ShowsWhatTheReadmeShows(int line)
    {
        var example = ReadmeExample.Parse(await File.ReadAllTextAsync(Readme)).Single(e => e.Line == line);
        var directory = FreshDirectory();
        if (example.Fixture == "audit-trail")
        {
            await ServeSeedsAsync(directory);
        }
        else
        {
            Assert.Null(example.Fixture);
        }

        var outputs = await RunAsync(directory, example.Commands);

        var differences = example.Commands
            .Select((command, i) => (command, difference: command.Compare(outputs[i])))
            .Where(c => c.difference is not null)
            .Select(c => $"README.md line {line}, command '$ {c.command.Command}': {c.difference}")
            .ToArray();
        Assert.True(differences.Length == 0, string.Join("\n\n", differences));
    }

    [Theory]
    [InlineData("ok: 1814 records verify; head 87229e76d9c114d5dcf52b2c01224b6cfa469449d20e8395c7a72e611e850574", "ok: 1814 records verify; head <hex>")]
    [InlineData("     8  01a217d2-d99e-7247-a2a8-e7b6d29aa18a  2026-11-26T12:27:03.9664304Z  NOT_SUITABLE   2fe69a7a5069  fever", " 8 <id> <time> NOT_SUITABLE <hex> fever")]
    [InlineData("    \"version\": \"1.3.0\",", " \"version\": \"<version>\",")]
    public void Mask_VolatileValues_Masked(string line, string expected) => Assert.Equal(expected, ReadmeCommand.Mask(line));

    [Fact]
    public void Compare_Elision_StandsForAnyLines()
    {
        var command = new ReadmeCommand("x", ["first", "...", "last"]);

        Assert.Null(command.Compare(["first", "a", "b", "last"]));
        Assert.Null(command.Compare(["first", "last"]));
        Assert.NotNull(command.Compare(["first", "a", "other"]));
    }

    private static string FreshDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", "readme-" + Path.GetRandomFileName());
        Directory.CreateDirectory(Path.Combine(directory, "home"));
        foreach (var name in new[] { "rules", "seeds", "tests" })
        {
            Directory.CreateSymbolicLink(Path.Combine(directory, name), Path.Combine(TestPaths.RepositoryRoot, name));
        }

        return directory;
    }

    /// <summary>Serves every request under seeds/ once, recording into the directory's default audit database.</summary>
    private static async Task ServeSeedsAsync(string directory)
    {
        var database = Path.Combine(directory, ".safetycheck", "audit.db");
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [$"--SafetyCheck:Audit:DatabasePath={database}"]);
        var parser = new JsonParser(JsonParser.Settings.Default);
        foreach (var seed in Directory.GetFiles(TestPaths.Seeds, "*.json").Order(StringComparer.Ordinal))
        {
            await host.Client.CheckAsync(parser.Parse<CheckRequest>(await File.ReadAllTextAsync(seed)));
        }
    }

    /// <summary>Runs the commands in one bash, in order; returns each one's output lines.</summary>
    private static async Task<List<string>[]> RunAsync(string directory, IReadOnlyList<ReadmeCommand> commands)
    {
        const string Separator = "@@@readme-command@@@";
        var cli = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "safetycheck.dll")}'";
        var script = new StringBuilder("__rc=0\n");
        foreach (var command in commands)
        {
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"echo '{Separator}'\n(exit $__rc)\n{{\n{command.Command.Replace("dotnet run --project src/SafetyCheck --", cli, StringComparison.Ordinal)}\n}} 2>&1\n__rc=$?\n");
        }

        var start = new ProcessStartInfo("bash", ["-c", script.ToString()])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOME"] = Path.Combine(directory, "home");
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal("", await error);
        var parts = (await output).Split(Separator + "\n");
        Assert.Equal(commands.Count + 1, parts.Length);
        var home = Path.Combine(directory, "home");
        return [.. parts.Skip(1).Select(p => p.Replace(home, "~", StringComparison.Ordinal).Replace(directory, "$PWD", StringComparison.Ordinal).Split('\n').ToList()).Select(l =>
        {
            if (l.Count > 0 && l[^1].Length == 0)
            {
                l.RemoveAt(l.Count - 1);
            }

            return l;
        })];
    }
}
