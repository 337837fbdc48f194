using System.Reflection;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Telemetry;

/// <summary>
/// A log event id means one thing in the whole service: operators filter and alert on ids (README names them), so
/// two log lines under one id, in two categories, would hide one behind the other.
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessages_OfEveryServiceAssembly_EachHaveAnEventIdOfTheirOwn()
    {
        var declarations = ServiceAssemblies()
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(d => d.Attribute is not null)
            .Select(d => (d.Attribute!.EventId, Assembly: d.Method.DeclaringType!.Assembly.GetName().Name, Name: $"{d.Method.DeclaringType!.FullName}.{d.Method.Name}"))
            .ToList();

        // The reflection reaches the host (its assembly is "safetycheck") and the libraries that log, else this test
        // would pass on nothing.
        Assert.Superset(
            new HashSet<string?>(["SafetyCheck", "SafetyCheck.Audit", "SafetyCheck.Core"], StringComparer.OrdinalIgnoreCase),
            declarations.Select(d => d.Assembly).ToHashSet(StringComparer.OrdinalIgnoreCase));
        Assert.Contains(declarations, d => d.Name == "SafetyCheck.Audit.Chain.ChainWriterLog.WriteFailed" && d.EventId == 309);

        var withoutId = declarations.Where(d => d.EventId <= 0).Select(d => d.Name).ToList();
        Assert.True(withoutId.Count == 0, "log messages without an event id: " + string.Join(", ", withoutId));
        var shared = declarations
            .GroupBy(d => d.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.Name))}")
            .ToList();
        Assert.True(shared.Count == 0, "event ids declared by more than one log message:\n" + string.Join("\n", shared));
    }

    [Fact]
    public void ReadmeLogEventReference_HasOneRowPerEventIdWithItsLevel()
    {
        var declared = ServiceAssemblies()
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToDictionary(a => a.EventId, a => a.Level);

        // Rows of the README's "Log event reference" table: "| id | level | category | meaning | what to do |".
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("### Log event reference", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no Log event reference section");
        var section = readme[start..];
        var next = section.IndexOf("\n## ", StringComparison.Ordinal);
        var rows = (next < 0 ? section : section[..next]).Split('\n')
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 3 && int.TryParse(cells[1], out _))
            .Select(cells => (Id: int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), Level: cells[2]))
            .ToList();

        var documented = rows.Select(r => r.Id).ToList();
        Assert.True(documented.Count == documented.Distinct().Count(), "ids with more than one row: " + string.Join(", ", documented.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key)));
        var missing = declared.Keys.Except(documented).Order().ToList();
        var stale = documented.Except(declared.Keys).Order().ToList();
        Assert.True(missing.Count == 0, "event ids the code logs with no row in README's Log event reference: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "README's Log event reference has rows for ids the code does not log: " + string.Join(", ", stale));

        // A level the line is always logged at is written as the README writes levels (Information, Warning...); a
        // line whose level is chosen when it is logged (LogLevel.None in its declaration) says so in its own words.
        var wrongLevel = rows
            .Where(r => declared[r.Id] != LogLevel.None && r.Level != declared[r.Id].ToString())
            .Select(r => $"{r.Id}: README says {r.Level}, the code {declared[r.Id]}")
            .ToList();
        Assert.True(wrongLevel.Count == 0, "README's Log event reference gives another level: " + string.Join("; ", wrongLevel));
    }

    /// <summary>The service's own assemblies: the host and every SafetyCheck.* assembly it references, transitively.</summary>
    private static List<Assembly> ServiceAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<AssemblyName>([new AssemblyName("SafetyCheck")]);
        while (pending.TryPop(out var name))
        {
            if (name.Name is not { } simple || !IsService(simple) || found.ContainsKey(simple))
            {
                continue;
            }

            var assembly = Assembly.Load(name);
            found[simple] = assembly;
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        return [.. found.Values];

        static bool IsService(string name) =>
            name.Equals("SafetyCheck", StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("SafetyCheck.", StringComparison.OrdinalIgnoreCase) && !name.Contains("Tests", StringComparison.Ordinal));
    }
}
