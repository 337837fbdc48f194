using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using SafetyCheck.Audit;
using SafetyCheck.AuditPage;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>The decision list's query string read into filters, whichever store will answer it.</summary>
public sealed class DecisionListQueryTests
{
    // Control characters as code points: the test runner's names and reports stay readable.
    [Theory]
    [InlineData("rule", 0x00)]
    [InlineData("rule", 0x7f)]
    [InlineData("caller", 0x00)]
    [InlineData("caller", 0x85)]
    public void ControlCharacterInRuleOrCaller_RefusedNamingTheField(string field, int control)
    {
        var (form, filter) = DecisionListQuery.Read(Query((field, $"fe{(char)control}ver")));

        Assert.Null(filter);
        Assert.Equal("must not contain control characters", Assert.Single(form.Problems, p => p.Key == field).Value);
    }

    [Theory]
    [InlineData("n:2026-03-02T10:00:00.0000000Z|no{0}dea|1")] // the PostgreSQL store's form
    [InlineData("bm9{0}kZQ==")] // the SQLite store's form
    public void PageTokenWithAControlCharacter_RefusedBeforeAnyStoreIsAsked(string token)
    {
        var (form, filter) = DecisionListQuery.Read(Query(("rule", "fever"), ("page", token.Replace("{0}", "\0", StringComparison.Ordinal))));

        Assert.Null(filter);
        Assert.Equal(DecisionListQuery.PageRefused, Assert.Single(form.Problems, p => p.Key == "page").Value);
    }

    [Fact]
    public void PlainRuleCallerAndAPageMadeForThem_Accepted_TheStoreAskedWithItsOwnToken()
    {
        const string storeToken = "n:2026-03-02T10:00:00.0000000Z|node-a|1";
        var (_, forThem) = DecisionListQuery.Read(Query(("rule", "fever"), ("caller", "audit desk")));
        var page = DecisionPageToken.Write(forThem!, storeToken);

        var (form, filter) = DecisionListQuery.Read(Query(("rule", "fever"), ("caller", "audit desk"), ("page", page)));

        Assert.Empty(form.Problems);
        Assert.Equal(("fever", "audit desk", storeToken), (filter!.RuleId, filter.Caller, filter.PageToken));
    }

    [Theory]
    [InlineData("caller", "another desk")]
    [InlineData("verdict", "NOT_SUITABLE")]
    [InlineData("from", "2026-03-01")]
    [InlineData("rule", "")]
    public void PageMadeForOtherFilters_RefusedAsSuch(string field, string value)
    {
        var (_, made) = DecisionListQuery.Read(Query(("rule", "fever"), ("caller", "audit desk")));
        var page = DecisionPageToken.Write(made!, "n:2026-03-02T10:00:00.0000000Z|node-a|1");
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal) { ["rule"] = "fever", ["caller"] = "audit desk", ["page"] = page, [field] = value };

        var (form, filter) = DecisionListQuery.Read(Query([.. pairs.Select(p => (p.Key, p.Value))]));

        Assert.Null(filter);
        Assert.Equal(DecisionListQuery.PageOfOtherFilters, Assert.Single(form.Problems).Value);
    }

    [Theory]
    [InlineData("n:2026-03-02T10:00:00.0000000Z|node-a|1")] // a store's token as it is: links name their filters
    [InlineData("f1:0123")]
    [InlineData("f9:0123456789abcdef:bm9kZQ==")]
    public void PageNotMadeByThisList_Refused(string page)
    {
        var (form, filter) = DecisionListQuery.Read(Query(("rule", "fever"), ("page", page)));

        Assert.Null(filter);
        Assert.Equal(DecisionListQuery.PageRefused, Assert.Single(form.Problems, p => p.Key == "page").Value);
    }

    private static QueryCollection Query(params (string Name, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Name, p => new StringValues(p.Value), StringComparer.Ordinal));
}
