using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Engine;

/// <summary>One back-off for messages and partners' deliveries (<see cref="RetryBackoff"/>).</summary>
[Category(Categories.Rules)]
public sealed class RetryBackoffTests
{
    [TestCase(30, 1, 30)]
    [TestCase(30, 2, 60)]
    [TestCase(30, 5, 480)]
    [TestCase(60, 6, 1920)]
    [TestCase(60, 7, 3600)]
    [TestCase(1, 40, 3600)]
    [TestCase(30, 0, 30)]
    public void The_wait_doubles_with_each_attempt_up_to_an_hour(int baseSeconds, int attemptsMade, int seconds) =>
        Assert.That(RetryBackoff.After(baseSeconds, attemptsMade), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void A_message_waits_as_the_rule_says() =>
        Assert.That(Enumerable.Range(1, 20).Select(new NotificationOptions { RetryBaseSeconds = 45 }.RetryDelay),
            Is.EqualTo(Enumerable.Range(1, 20).Select(attempts => RetryBackoff.After(45, attempts))));
}
