using System.Reflection;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests;

/// <summary>The suite itself: every fixture says what kind of test it is, so that the rules run alone in seconds.</summary>
[Category(Categories.Rules)]
public sealed class SuiteTests
{
    [Test]
    public void Every_fixture_has_a_category_and_the_rules_need_no_store_or_process()
    {
        var fixtures = typeof(SuiteTests).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttributes<TestAttribute>().Any() || m.GetCustomAttributes<TestCaseAttribute>().Any()))
            .ToList();
        string[] Of(Type type) => type.GetCustomAttributes<CategoryAttribute>(inherit: true).Select(c => c.Name).ToArray();

        Assert.That(fixtures, Has.Count.GreaterThan(50));
        Assert.That(fixtures.Where(f => !Of(f).Intersect(Categories.All).Any()).Select(f => f.Name), Is.Empty, "fixtures without a category");
        Assert.That(fixtures.Where(f => Of(f).Contains(Categories.Rules) && (Of(f).Length > 1 || typeof(StoreTest).IsAssignableFrom(f))).Select(f => f.Name), Is.Empty,
            "a rules fixture that is also something slower");
    }
}
