using System.Text.Json;
using Hl7.Fhir.Model;
using SafetyCheck.Fhir.Input;

namespace SafetyCheck.Fhir.Tests.Input;

public sealed class FhirJsonReaderTests
{
    [Fact]
    public void Read_Bundle_EveryEntryWithItsLocation()
    {
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:0b7e2a51-52f4-4c47-9d3c-1d2e3f4a5b6c","resource":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"}},
              {"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"}}}]}
            """);

        Assert.Empty(set.Problems);
        Assert.Equal(["Bundle.entry[0].resource", "Bundle.entry[1].resource"], set.Resources.Select(r => r.Location));
        Assert.Equal("urn:uuid:0b7e2a51-52f4-4c47-9d3c-1d2e3f4a5b6c", set.Resources[0].FullUrl);
        Assert.Equal("Condition/c", set.Resources[1].Label);
    }

    [Fact]
    public void Read_Prefetch_ResourcesBundlesAndNulls()
    {
        var set = FhirJsonReader.Read("""
            {"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"},
             "conditions":{"resourceType":"Bundle","type":"searchset","entry":[
                {"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"}}},
                {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"informational"}]},"search":{"mode":"outcome"}}]},
             "temperature":null}
            """);

        Assert.Empty(set.Problems);
        Assert.Equal(["prefetch.patient", "prefetch.conditions.entry[0].resource"], set.Resources.Select(r => r.Location));
        // A null entry is "no data": nothing was left out, so it is not listed.
        Assert.Equal(["prefetch.conditions.entry[1].resource"], set.Ignored.Select(i => i.Path));
    }

    [Fact]
    public void Read_PrefetchOperationOutcome_Problem()
    {
        var set = FhirJsonReader.Read("""{"conditions":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}}""");

        Assert.Equal("prefetch.conditions", Assert.Single(set.Problems).Field);
    }

    [Theory]
    [InlineData(""","conditions":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"}""", "is a Patient, not a search result")]
    [InlineData(""","conditions":{"resourceType":"Foo"}""", "not a search result")]
    [InlineData(""","conditions":{}""", "has no resourceType")]
    [InlineData(""","conditions":{"resourceType":"Bundle","type":"transaction","entry":[]}""", "a Bundle of type transaction")]
    [InlineData(""","conditions":null,"birthWeight":{"resourceType":"Observation","id":"o","status":"final","code":{"text":"w"}}""", "is an Observation, not a search result")]
    [InlineData(""","temperature":null""", "is required")]
    public void Read_PrefetchSearchKeyNotASearchResultOrConditionsMissing_ProblemNamingTheKey(string entries, string message)
    {
        var set = FhirJsonReader.Read("""{"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"}""" + entries + "}");

        var problem = Assert.Single(set.Problems);
        Assert.StartsWith("prefetch.", problem.Field);
        Assert.Contains(message, problem.Description);
        Assert.Equal(message == "is required" ? "prefetch.conditions" : problem.Field, problem.Field);
    }

    [Fact]
    public void Read_PrefetchConditionsNullOrCollection_NoProblem()
    {
        Assert.Empty(FhirJsonReader.Read("""{"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"},"conditions":null}""").Problems);
        Assert.Empty(FhirJsonReader.Read("""{"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"},"conditions":{"resourceType":"Bundle","type":"collection"}}""").Problems);
    }

    [Fact]
    public void Read_SearchWithMorePages_Problem()
    {
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"https://ehr.example/fhir/Condition?page=2"}],"entry":[]}
            """);

        var problem = Assert.Single(set.Problems);
        Assert.Equal("Bundle.link", problem.Field);
        Assert.Contains("more pages", problem.Description);
    }

    [Theory]
    [InlineData("error", "incomplete")]
    [InlineData("fatal", "too-costly")]
    public void Read_SearchOutcomeWithAnErrorOrFatalIssue_ProblemOnTheEntry(string severity, string code)
    {
        var set = FhirJsonReader.Read("""
            {"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"},
             "conditions":{"resourceType":"Bundle","type":"searchset","entry":[
                {"resource":{"resourceType":"OperationOutcome","issue":[
                   {"severity":"information","code":"informational"},{"severity":"SEVERITY","code":"CODE"}]},"search":{"mode":"outcome"}},
                {"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"}}}]}}
            """.Replace("SEVERITY", severity, StringComparison.Ordinal).Replace("CODE", code, StringComparison.Ordinal));

        var problem = Assert.Single(set.Problems);
        Assert.Equal("prefetch.conditions.entry[0]", problem.Field);
        Assert.Contains($"severity {severity} (code '{code}')", problem.Description);
        Assert.Contains("could miss what matters", problem.Description);
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("information")]
    public void Read_SearchOutcomeWithWarningsOnly_SetAside(string severity)
    {
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"searchset","entry":[
               {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"SEVERITY","code":"informational"}]},"search":{"mode":"outcome"}}]}
            """.Replace("SEVERITY", severity, StringComparison.Ordinal));

        Assert.Empty(set.Problems);
        Assert.Equal("Bundle.entry[0].resource", Assert.Single(set.Ignored).Path);
    }

    [Theory]
    [InlineData(",\"search\":{\"mode\":\"match\"}")]
    [InlineData("")]
    public void Read_OperationOutcomeEntryWithAnErrorNotMarkedAsTheSearchOutcome_StillAProblem(string search)
    {
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"searchset","entry":[
               {"resource":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"}},
               {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"incomplete"}]}SEARCH}]}
            """.Replace("SEARCH", search, StringComparison.Ordinal));

        var problem = Assert.Single(set.Problems);
        Assert.Equal("Bundle.entry[1]", problem.Field);
        Assert.StartsWith("is an OperationOutcome with an issue of severity error (code 'incomplete')", problem.Description);
        Assert.DoesNotContain(set.Resources, r => r.Resource is OperationOutcome);
    }

    [Fact]
    public void Read_OperationOutcomeEntryWithWarningsOnlyNotMarkedAsTheSearchOutcome_SetAside()
    {
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"searchset","entry":[
               {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"informational"}]}}]}
            """);

        Assert.Empty(set.Problems);
        var ignored = Assert.Single(set.Ignored);
        Assert.Equal("Bundle.entry[0].resource", ignored.Path);
        Assert.StartsWith("an OperationOutcome (warnings from the server)", ignored.Reason);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","id":"p","name":[{"family":"\ud800"}]}""", "name[0].family", "is not Unicode text")]
    [InlineData("""{"resourceType":"Patient","id":"p","\udc00x":1}""", "$", "has a member whose name is not Unicode text")]
    [InlineData("""{"patient":{"resourceType":"Patient","id":"p\ud800"}}""", "patient.id", "is not Unicode text")]
    public void Read_StringThatIsNotUnicodeText_ProblemNamingItsPath_NotACrash(string json, string field, string description)
    {
        var set = FhirJsonReader.Read(json);

        var problem = Assert.Single(set.Problems);
        Assert.Equal(field, problem.Field);
        Assert.StartsWith(description, problem.Description);
        Assert.Empty(set.Resources);
    }

    [Fact]
    public void FromBundle_SearchOutcomeWithAFatalIssue_ProblemOnTheEntry()
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset };
        var outcome = new OperationOutcome();
        outcome.Issue.Add(new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Fatal, Code = OperationOutcome.IssueType.TooCostly });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = new Patient { Id = "p" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = outcome, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome } });

        Assert.Equal("Bundle.entry[1]", Assert.Single(FhirResourceSet.FromBundle(bundle).Problems).Field);
    }

    [Fact]
    public void Read_SearchOutcomeIssueWithoutSeverity_Problem()
    {
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"searchset","entry":[
               {"resource":{"resourceType":"OperationOutcome","issue":[{"code":"incomplete"}]},"search":{"mode":"outcome"}}]}
            """);

        var problem = Assert.Single(set.Problems);
        Assert.Equal("Bundle.entry[0]", problem.Field);
        Assert.Contains("an issue without a severity (code 'incomplete')", problem.Description);
    }

    [Fact]
    public void Read_MalformedValues_EveryProblemNamedByPath()
    {
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","birthDate":"2024-13-45","nickname":"x"}}]}
            """);

        Assert.Empty(set.Resources);
        Assert.Equal(["Bundle.entry[0].resource.birthDate", "Bundle.entry[0].resource.nickname"], set.Problems.Select(p => p.Field).Order());
        Assert.All(set.Problems, p => Assert.Contains("(line 2, position", p.Description));
    }

    [Fact]
    public void Read_MalformedPrefetchEntry_NamedFromTheKey()
    {
        var set = FhirJsonReader.Read("""{"patient":{"resourceType":"Patient","birthDate":"soon"},"conditions":null}""");

        Assert.Equal("prefetch.patient.birthDate", Assert.Single(set.Problems).Field);
    }

    [Theory]
    [InlineData("{ not json", "is not JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("""{"resourceType":"Spaceship","engines":2}""", "unknown element 'engines'")]
    [InlineData("""{"patient":[1],"conditions":null}""", "must be a FHIR resource")]
    public void Read_NotFhir_Problem(string json, string message)
    {
        var set = FhirJsonReader.Read(json);

        Assert.Contains(message, Assert.Single(set.Problems).Description);
    }

    [Theory]
    [InlineData("""{"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"},"patient":{"resourceType":"Patient","id":"p","birthDate":"2020-01-02"}}""", "prefetch.patient")]
    [InlineData("""{"conditions":{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"R50.9"}]},"code":{"text":"well"}}}]}}""", "prefetch.conditions.entry[0].resource.code")]
    [InlineData("""{"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"R50.9"}]},"code":{"text":"well"}}""", "Condition.code")]
    [InlineData("""{"resourceType":"Condition","resourceType":"Patient","id":"c"}""", "Condition.resourceType")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","birthDate":"2024-01-02","birth\u0044ate":"2020-01-02"}}]}""", "Bundle.entry[0].resource.birthDate")]
    public void Read_PropertyGivenTwice_ProblemNamingIt(string json, string field)
    {
        var set = FhirJsonReader.Read(json);

        Assert.Empty(set.Resources);
        var problem = Assert.Single(set.Problems);
        Assert.Equal(field, problem.Field);
        Assert.Contains("given more than once", problem.Description);
    }

    [Fact]
    public void ReadPrefetch_ParsedByTheCallerWithAPropertyGivenTwice_ProblemNamingIt()
    {
        // A host that parsed the call with System.Text.Json's defaults hands over an element that keeps both.
        using var document = JsonDocument.Parse("""
            {"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"},
             "conditions":{"resourceType":"Bundle","type":"searchset","entry":[
                {"resource":{"resourceType":"Condition","id":"c","resourceType":"Condition","subject":{"reference":"Patient/p"}}}]},
             "patient":null}
            """);

        var set = FhirJsonReader.ReadPrefetch(document.RootElement);

        Assert.Empty(set.Resources);
        Assert.Equal(["prefetch.conditions.entry[0].resource.resourceType", "prefetch.patient"], set.Problems.Select(p => p.Field).Order());
    }

    [Fact]
    public void FromResource_SinglePatient_StandsAloneUnderItsType()
    {
        var set = FhirResourceSet.FromResource(new Patient { Id = "p" });

        Assert.Equal("Patient", Assert.Single(set.Resources).Location);
    }

    [Fact]
    public void FromBundle_NestedTooDeep_Problem()
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        var inner = bundle;
        for (var i = 0; i < FhirResourceSet.MaxDepth + 1; i++)
        {
            var next = new Bundle { Type = Bundle.BundleType.Collection };
            inner.Entry.Add(new Bundle.EntryComponent { Resource = next });
            inner = next;
        }

        Assert.Contains("nest more than", Assert.Single(FhirResourceSet.FromBundle(bundle).Problems).Description);
    }

    [Theory]
    [InlineData("information", "suppressed")]
    [InlineData("warning", "incomplete")]
    [InlineData("warning", "too-costly")]
    [InlineData("information", "throttled")]
    [InlineData("warning", "forbidden")]
    public void Read_SearchOutcomeSayingDataWasLeftOut_ProblemWhateverTheSeverity(string severity, string code)
    {
        var set = FhirJsonReader.Read("""
            {"patient":{"resourceType":"Patient","id":"p","birthDate":"2024-01-02"},
             "conditions":{"resourceType":"Bundle","type":"searchset","entry":[
                {"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"}},"search":{"mode":"match"}},
                {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"SEVERITY","code":"CODE"}]},"search":{"mode":"outcome"}}]}}
            """.Replace("SEVERITY", severity, StringComparison.Ordinal).Replace("CODE", code, StringComparison.Ordinal));

        var problem = Assert.Single(set.Problems);
        Assert.Equal("prefetch.conditions.entry[1]", problem.Field);
        Assert.Equal($"is a search outcome with an issue of severity {severity} (code '{code}'): the server says it left data out of the search, whatever the severity, and a check on part of the record could miss what matters", problem.Description);
    }

    [Theory]
    [InlineData("""[]""", 0)]
    [InlineData("""[{"resource":{"resourceType":"Condition","id":"c"},"search":{"mode":"match"}},{"resource":{"resourceType":"Patient","id":"p"},"search":{"mode":"include"}}]""", 1)]
    public void Read_SearchsetHoldingFewerMatchesThanItsTotalWithoutANextLink_Problem(string entries, int held)
    {
        var set = FhirJsonReader.Read("""{"resourceType":"Bundle","type":"searchset","total":5,"link":[{"relation":"previous","url":"https://ehr.example/fhir/Condition?page=1"}],"entry":ENTRIES}""".Replace("ENTRIES", entries, StringComparison.Ordinal));

        var problem = Assert.Single(set.Problems);
        Assert.Equal("Bundle.total", problem.Field);
        Assert.StartsWith($"is 5, but the search holds {held} {(held == 1 ? "match" : "matches")} and has no 'next' link", problem.Description);
    }

    [Fact]
    public void Read_SearchsetWhoseMatchesMeetItsTotal_NoProblem()
    {
        // Pages joined into one Bundle (as the CDS Hooks client does) hold every match the total counts.
        var set = FhirJsonReader.Read("""
            {"resourceType":"Bundle","type":"searchset","total":2,"entry":[
               {"resource":{"resourceType":"Condition","id":"a"},"search":{"mode":"match"}},
               {"resource":{"resourceType":"Condition","id":"b"}},
               {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]},"search":{"mode":"outcome"}}]}
            """);

        Assert.Empty(set.Problems);
    }

    [Fact]
    public void Read_SearchsetWithANextLink_OneProblemForThePagesNotOneForTheTotal()
    {
        var set = FhirJsonReader.Read("""{"resourceType":"Bundle","type":"searchset","total":9,"link":[{"relation":"next","url":"https://ehr.example/fhir/Condition?page=2"}],"entry":[]}""");

        Assert.Equal("Bundle.link", Assert.Single(set.Problems).Field);
    }
}
