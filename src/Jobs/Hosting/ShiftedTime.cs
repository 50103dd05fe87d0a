namespace BatchEngine.Jobs.Hosting;

/// <summary>
/// Real time, shifted to start at a chosen instant (<c>Engine:ClockStartsAt</c>): a rehearsal of a month, or a test
/// that must behave the same on any day. Quartz, the Hangfire jobs and the step all read it.
/// </summary>
public sealed class ShiftedTime(TimeSpan offset) : TimeProvider
{
    public static ShiftedTime StartingAt(DateTimeOffset start, TimeProvider real) => new(start - real.GetUtcNow());

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
