using SafetyCheck.Core.Json;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSuite.Tests.Schemas;

/// <summary>Every shipped rule-set file, case file and terminology expansion is valid against its JSON Schema.</summary>
public sealed class ShippedFileSchemaTests
{
    public static TheoryData<string> ShippedFiles() => [.. Paths()];

    private static IEnumerable<string> Paths() =>
        Directory.EnumerateFiles(ShippedSuite.Directory, "*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(ShippedSuite.Directory, p).Replace('\\', '/'))
            .Where(p => RuleSetFileKinds.SchemaFile(RuleSetFileKinds.Of(p)) is not null)
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void ShippedFile_IsValidAgainstItsSchema(string path)
    {
        var kind = RuleSetFileKinds.Of(path);

        var problems = RuleSetSchemas.Problems(kind, File.ReadAllText(Path.Combine(ShippedSuite.Directory, path)));

        Assert.True(problems.Count == 0, $"{path} ({RuleSetFileKinds.SchemaFile(kind)}):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void ShippedFiles_CoverEveryKindOfFile()
    {
        var kinds = Paths().Select(RuleSetFileKinds.Of).ToHashSet();

        Assert.Equal([RuleSetFileKind.Manifest, RuleSetFileKind.Catalog, RuleSetFileKind.Rules, RuleSetFileKind.Cases, RuleSetFileKind.SnomedExpansion], kinds.Order());
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void ShippedFile_NamesItsSchemaWhenItNamesOne(string path)
    {
        var root = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(ShippedSuite.Directory, path)));
        if (root[SchemaReference.MemberName] is not { } reference)
        {
            return;
        }

        var expected = SchemaReference.RelativeReference(path, RuleSetFileKinds.SchemaFile(RuleSetFileKinds.Of(path))!);
        Assert.Equal(expected, (string?)reference);
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(ShippedSuite.Directory, Path.GetDirectoryName(path)!, expected))), expected);
    }
}
