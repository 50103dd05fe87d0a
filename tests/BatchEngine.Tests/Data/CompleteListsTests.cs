using System.Text.RegularExpressions;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Data;

/// <summary>
/// No list is ever cut short unsaid (issue #17): a query of the product limits its rows only to read one row, to page a
/// list through <c>ListPage</c> (which counts the whole), or to claim a batch of work. Any other LIMIT in the sources is
/// a list someone would see cut.
/// </summary>
[Category(Categories.Rules)]
public sealed class CompleteListsTests
{
    [Test]
    public void Every_limit_in_the_sources_reads_one_row_pages_a_list_with_its_total_or_claims_a_batch()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "BatchEngine.sln")))
        {
            root = root.Parent ?? throw new DirectoryNotFoundException("BatchEngine.sln not found above the tests");
        }

        var src = Path.Combine(root.FullName, "src");
        var limits = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line)))
            .Where(l => Regex.IsMatch(l.Text, @"\bLIMIT\b"))
            .ToList();

        Assert.That(limits, Is.Not.Empty, "the scan reads the sources");
        var cut = limits.Where(l => !Regex.IsMatch(l.Text, @"\bLIMIT 1\b")
            && !(l.File == Path.Combine("Data", "ListPage.cs") && l.Text.Contains("LIMIT @pageSize OFFSET @pageOffset", StringComparison.Ordinal))
            && !(l.File == Path.Combine("Data", "Notifications", "Ledger.cs") && l.Text.Contains("LIMIT @limit", StringComparison.Ordinal)));
        Assert.That(cut.Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}"), Is.Empty);
    }
}
