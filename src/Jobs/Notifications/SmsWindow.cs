using System.Globalization;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Notifications;

/// <summary>SMS go out only between the window's start and end, Tehran time; one due outside waits for the next start.</summary>
public sealed class SmsWindow(SmsOptions options, TehranClock clock)
{
    private readonly TimeOnly _start = TimeOnly.ParseExact(options.WindowStart, "HH:mm", CultureInfo.InvariantCulture);
    private readonly TimeOnly _end = TimeOnly.ParseExact(options.WindowEnd, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The first instant at or after <paramref name="instant"/> when an SMS may be sent.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset instant)
    {
        var local = clock.ToTehran(instant);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (time >= _start && time < _end)
        {
            return instant;
        }

        var day = DateOnly.FromDateTime(local.DateTime);
        return clock.At((time < _start ? day : day.AddDays(1)).ToDateTime(_start));
    }
}
