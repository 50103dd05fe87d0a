namespace BatchEngine.Jobs.Engine;

/// <summary>
/// How long a failed send waits before its next try, for messages and partners' deliveries alike: the base doubled
/// with each attempt made, never more than an hour, so a long outage is retried hourly once it is over, not a day late.
/// </summary>
public static class RetryBackoff
{
    public static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    /// <param name="baseSeconds">the wait after the first failed attempt</param>
    /// <param name="attemptsMade">attempts so far, the failed one included (1 after the first)</param>
    public static TimeSpan After(int baseSeconds, int attemptsMade) =>
        TimeSpan.FromSeconds(Math.Min(Longest.TotalSeconds, baseSeconds * Math.Pow(2, Math.Clamp(attemptsMade - 1, 0, 30))));
}
