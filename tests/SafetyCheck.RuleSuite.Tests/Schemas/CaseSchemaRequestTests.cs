using Google.Protobuf.Reflection;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Json;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.RuleSuite.Tests.Schemas;

/// <summary>The case schema's <c>request</c> is the contract's CheckRequest: the same fields, in the proto's order, with its enum names.</summary>
public sealed class CaseSchemaRequestTests
{
    private static readonly JObject Schema = JObject.Parse(File.ReadAllText(Path.Combine(RuleSetSchemas.Folder, SchemaReference.CasesFile)));

    [Fact]
    public void RequestSchema_NamesEveryFieldOfTheContract_InProtoOrder()
    {
        var differences = new List<string>();
        Compare(CheckRequest.Descriptor, (JObject)Schema["$defs"]!["checkRequest"]!, "request", differences);

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    private static void Compare(MessageDescriptor message, JObject schema, string path, List<string> differences)
    {
        var properties = (JObject)schema["properties"]!;
        var expected = message.Fields.InFieldNumberOrder().Select(f => f.JsonName).ToList();
        var actual = properties.Properties().Select(p => p.Name).ToList();
        if (!expected.SequenceEqual(actual))
        {
            differences.Add($"{path}: schema [{string.Join(", ", actual)}], contract [{string.Join(", ", expected)}]");
        }

        foreach (var field in message.Fields.InFieldNumberOrder())
        {
            if (properties[field.JsonName] is not JObject property)
            {
                continue;
            }

            var item = field.IsRepeated ? property["items"] as JObject ?? property : property;
            if (field.FieldType == FieldType.Message && field.MessageType.File.Package == CheckRequest.Descriptor.File.Package)
            {
                Compare(field.MessageType, item, $"{path}.{field.JsonName}", differences);
            }
            else if (field.FieldType == FieldType.Enum)
            {
                var names = field.EnumType.Values.Select(v => v.Name).ToList();
                var listed = (item["enum"] as JArray)?.Select(v => (string)v!).ToList() ?? [];
                if (!names.SequenceEqual(listed))
                {
                    differences.Add($"{path}.{field.JsonName}: schema enum [{string.Join(", ", listed)}], contract [{string.Join(", ", names)}]");
                }
            }
        }
    }
}
