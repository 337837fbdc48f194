using System.Reflection;
using Microsoft.Extensions.Logging;

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
