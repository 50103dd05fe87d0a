namespace BatchEngine.Data.Calendar;

/// <summary>Turns Tehran wall-clock times into instants, using the operating system's time-zone data.</summary>
public sealed class TehranClock
{
    public TehranClock(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    public static TehranClock FromOperatingSystem()
    {
        try
        {
            return new TehranClock(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran"));
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new InvalidOperationException("The time zone Asia/Tehran is not installed on this machine (install the tzdata package).", e);
        }
    }

    /// <summary>
    /// The instant at which Tehran's clocks show <paramref name="local"/>. Before 1401 Tehran had summer time:
    /// a skipped wall time means the moment the clocks jumped, a repeated one the later pass (the day has begun).
    /// </summary>
    public DateTimeOffset At(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Min() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public DateTimeOffset At(JalaliDate date, TimeOnly time) => At(date.ToGregorian().ToDateTime(time));

    /// <summary>The first instant after the whole of <paramref name="day"/> in Tehran: the late-from of "until the end of that day".</summary>
    public DateTimeOffset After(JalaliDate day) => At(day.AddDays(1), TimeOnly.MinValue);

    public DateTimeOffset ToTehran(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public JalaliDate DateOf(DateTimeOffset instant) => JalaliDate.FromGregorian(DateOnly.FromDateTime(ToTehran(instant).DateTime));
}
