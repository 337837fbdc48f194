using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Rules;

/// <summary>Reads <c>ruleset.json</c> strictly.</summary>
public static partial class ManifestLoader
{
    /// <summary>The manifest's file name in a rule directory.</summary>
    public const string FileName = "ruleset.json";

    /// <summary>Reads the manifest; null when it has problems (all reported to <paramref name="diagnostics"/>).</summary>
    /// <param name="file">The parsed <c>ruleset.json</c>.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <param name="engineBounds">
    /// Whether the parameters C# reads as well as the expressions are held to this build's whole-number bounds
    /// (<see cref="EngineParameterBounds"/>). Off only for an archived revision, which replays over its recorded facts
    /// and was loaded by the build that served it.
    /// </param>
    public static RulesetManifest? Read(JsonSourceFile file, ICollection<Diagnostic> diagnostics, bool engineBounds = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (file.Root is null)
        {
            return null;
        }

        var before = diagnostics.Count;
        if (file.Root is not JObject root)
        {
            diagnostics.Add(file.At(file.Root, "ruleset.json must be an object with name, version, description and parameters"));
            return null;
        }

        var manifest = new StrictObject(file, root, "ruleset.json", diagnostics);
        manifest.AllowOnlyAtTop("name", "version", "description", "parameters", "reviewEvidence", "policy");
        var name = manifest.RequiredString("name");
        var version = manifest.RequiredString("version");
        var description = manifest.OptionalString("description") ?? "";
        var parameters = new List<PolicyParameter>();
        if (manifest.OptionalObject("parameters") is { } parametersObject)
        {
            foreach (var property in parametersObject.Properties())
            {
                if (ReadParameter(file, property, diagnostics, engineBounds) is { } parameter)
                {
                    parameters.Add(parameter);
                }
            }
        }

        var reviewEvidence = EvidenceReader.Read(manifest, "reviewEvidence");
        var policy = ReadPolicy(file, manifest);
        return diagnostics.Count > before || name is null || version is null || reviewEvidence is null
            ? null
            : new RulesetManifest(name, version, description, parameters, reviewEvidence) { Policy = policy };
    }

    /// <summary>The optional <c>policy</c> member: a relative path inside the rule directory, forward slashes.</summary>
    private static PolicyReference? ReadPolicy(JsonSourceFile file, StrictObject manifest)
    {
        var path = manifest.OptionalString("policy");
        if (path is null)
        {
            return null;
        }

        var token = manifest.Json["policy"]!;
        var segments = path.Split('/');
        if (path.Length == 0 || path.Contains('\\', StringComparison.Ordinal) || path.StartsWith('/') || path.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s.Length == 0 || s == "." || s == ".."))
        {
            manifest.Report(token, $"'policy' must name a file inside the rule directory with a relative path and forward slashes, e.g. \"POLICY.md\", not \"{path}\"");
            return null;
        }

        var (line, column) = file.StartOf(token);
        return new PolicyReference(path, line, column);
    }

    private static PolicyParameter? ReadParameter(JsonSourceFile file, JProperty property, ICollection<Diagnostic> diagnostics, bool engineBounds)
    {
        if (!IdentifierPattern().IsMatch(property.Name) || property.Name == "child")
        {
            diagnostics.Add(file.At(property, $"parameter name '{property.Name}' must be a camelCase identifier (letters and digits, starting with a lower-case letter) other than 'child'"));
            return null;
        }

        if (property.Value is not JObject body)
        {
            diagnostics.Add(file.At(property.Value, $"parameter '{property.Name}' must be an object with value, unit and description"));
            return null;
        }

        var reader = new StrictObject(file, body, $"parameter '{property.Name}'", diagnostics);
        reader.AllowOnly("value", "unit", "description");
        var unit = reader.RequiredString("unit");
        var description = reader.RequiredString("description");
        if (body["value"] is null)
        {
            reader.Report(body, $"parameter '{property.Name}' is missing required property 'value'");
            return null;
        }

        var value = reader.OptionalNumber("value");
        if (value is null || unit is null || description is null)
        {
            return null;
        }

        // Newtonsoft holds an integer too large for a long as a BigInteger, which Convert cannot take.
        var number = value.Value is BigInteger big ? (double)big : Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
        var isInteger = value.Type == JTokenType.Integer;
        if (!double.IsFinite(number) || (isInteger && (number > int.MaxValue || number < int.MinValue)))
        {
            reader.Report(value, $"parameter '{property.Name}' must be a finite number within the range of a 32-bit integer");
            return null;
        }

        if (engineBounds && EngineParameterBounds(property.Name) is var (min, max, units) && (!isInteger || number < min || number > max))
        {
            reader.Report(value, string.Create(
                CultureInfo.InvariantCulture,
                $"parameter '{property.Name}' is read by the engine as a whole number of {units}: it must be an integer from {min} to {max}, not {value.ToString(Newtonsoft.Json.Formatting.None)}"));
            return null;
        }

        return new PolicyParameter(property.Name, number, unit, description) { IsInteger = isInteger };
    }

    /// <summary>
    /// The integers the engine accepts for a parameter that C# reads too (<see cref="FactsOptions"/>), so that C# and
    /// the expressions read the same number; null for a parameter only expressions read.
    /// </summary>
    private static (int Min, int Max, string Units)? EngineParameterBounds(string name) => name switch
    {
        FactsOptions.CorrectedAgeCutoffParameter => (0, FactsOptions.MaxCorrectedAgeCutoffMonths, "months"),
        FactsOptions.TermGestationParameter => (FactsOptions.MinTermGestationWeeks, FactsOptions.MaxTermGestationWeeks, "weeks"),
        _ => null,
    };

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
