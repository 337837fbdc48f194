using System.Globalization;
using System.Text;
using System.Xml;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>test --junit FILE</c>: the run as JUnit XML, the format CI systems (GitLab, Jenkins, Azure Pipelines, GitHub
/// test reporters) read. One <c>testsuite</c> per case file and one <c>testcase</c> per case (a failed case has a
/// <c>failure</c> with what did not hold, a todo case is <c>skipped</c>); problems with the rule set or the case files
/// are a <c>testsuite</c> of their own whose cases are <c>error</c>s; in a full run, the coverage and policy checks
/// are two more test cases.
/// </summary>
internal static class JUnitReport
{
    /// <summary>The XML of a run; <paramref name="suite"/> is null when the rule set did not load.</summary>
    /// <param name="directory">The rule directory as given (files are named relative to the current directory).</param>
    /// <param name="suite">The cases run; null when the rule set did not load.</param>
    /// <param name="problems">Load problems (when <paramref name="suite"/> is null) or case-file problems.</param>
    /// <param name="uncovered">Rules no case fires (full runs only).</param>
    /// <param name="review">Errors of the policy document cross-check (full runs only).</param>
    public static string Write(string directory, RuleSuiteReport? suite, IReadOnlyList<Diagnostic> problems, IReadOnlyList<Diagnostic> uncovered, IReadOnlyList<Diagnostic> review)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = false }))
        {
            var cases = suite?.Cases ?? [];
            var checks = suite is { Filter: null } ? 2 : 0;
            var checkFailures = (uncovered.Count > 0 ? 1 : 0) + (review.Count > 0 ? 1 : 0);
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "safetycheck test");
            Counts(xml, cases.Count + checks + problems.Count, cases.Count(c => !c.Passed && !c.Todo) + checkFailures, problems.Count, cases.Count(c => c.Todo));
            if (problems.Count > 0)
            {
                WriteProblems(xml, directory, suite is null ? "the rule set" : "the case files", problems);
            }

            foreach (var file in cases.GroupBy(c => c.File, StringComparer.Ordinal))
            {
                WriteFile(xml, directory, file.Key, [.. file]);
            }

            if (checks > 0)
            {
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", "the rule set");
                Counts(xml, checks, checkFailures, 0, 0);
                WriteCheck(xml, directory, "every rule is fired by a case", uncovered);
                WriteCheck(xml, directory, "the policy document names every rule and only rules", review);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        // XmlWriter over a StringBuilder declares UTF-16; the file is written in UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal) + "\n";
    }

    private static void WriteFile(XmlWriter xml, string directory, string file, List<CaseResult> cases)
    {
        var path = RuleSetReport.DisplayPath(directory, file);
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", path);
        Counts(xml, cases.Count, cases.Count(c => !c.Passed && !c.Todo), 0, cases.Count(c => c.Todo));
        foreach (var result in cases)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", ClassName(file));
            xml.WriteAttributeString("name", result.Name);
            xml.WriteAttributeString("file", path);
            xml.WriteAttributeString("line", result.Line.ToString(CultureInfo.InvariantCulture));
            if (result.Todo)
            {
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", $"todo: {result.TodoReason}");
                xml.WriteEndElement();
            }
            else if (!result.Passed)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", result.Failures.Count > 0 ? result.Failures[0] : "failed");
                xml.WriteString($"{path}:{result.Line}: {result.Name}\n{string.Join("\n", result.Failures)}");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void WriteProblems(XmlWriter xml, string directory, string name, IReadOnlyList<Diagnostic> problems)
    {
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", name);
        Counts(xml, problems.Count, 0, problems.Count, 0);
        foreach (var problem in problems)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", "rule-set");
            xml.WriteAttributeString("name", $"{RuleSetReport.DisplayPath(directory, problem.File)}:{problem.Line}:{problem.Column}");
            xml.WriteStartElement("error");
            xml.WriteAttributeString("message", problem.Message);
            xml.WriteString(RuleSetReport.Format(directory, problem));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void WriteCheck(XmlWriter xml, string directory, string name, IReadOnlyList<Diagnostic> problems)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("classname", "rule-set");
        xml.WriteAttributeString("name", name);
        if (problems.Count > 0)
        {
            xml.WriteStartElement("failure");
            xml.WriteAttributeString("message", problems[0].Message);
            xml.WriteString(string.Join("\n", problems.Select(p => RuleSetReport.Format(directory, p))));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Counts(XmlWriter xml, int tests, int failures, int errors, int skipped)
    {
        xml.WriteAttributeString("tests", tests.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", skipped.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>benefits.cases.json</c> → <c>benefits</c>; folders become dots (<c>more/skin.cases.json</c> → <c>more.skin</c>).</summary>
    private static string ClassName(string file) =>
        (file.EndsWith(RuleSetLoader.CasesSuffix, StringComparison.Ordinal) ? file[..^RuleSetLoader.CasesSuffix.Length] : file).Replace('/', '.');
}
