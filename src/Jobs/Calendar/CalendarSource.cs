using BatchEngine.Jobs.Hosting;

namespace BatchEngine.Jobs.Calendar;

/// <summary>
/// The calendar as the configuration says now: rebuilt when <c>config/batchengine.json</c> or the holiday file
/// changes, so a long-running engine re-plans without a restart.
/// </summary>
public sealed class CalendarSource
{
    private readonly EngineSettings? _settings;
    private readonly Lock _lock = new();
    private (DateTime Config, DateTime Holidays) _stamp;
    private ReportingCalendar _current;

    public CalendarSource(EngineSettings settings)
    {
        _settings = settings;
        _stamp = Stamp(settings);
        _current = settings.CreateCalendar();
    }

    private CalendarSource(ReportingCalendar calendar) => _current = calendar;

    /// <summary>A calendar that never changes, for a single command or a test.</summary>
    public static CalendarSource Fixed(ReportingCalendar calendar) => new(calendar);

    public ReportingCalendar Current
    {
        get
        {
            if (_settings is null)
            {
                return _current;
            }

            lock (_lock)
            {
                var stamp = Stamp(_settings);
                if (stamp != _stamp)
                {
                    _current = _settings.CreateCalendar();
                    _stamp = stamp;
                }

                return _current;
            }
        }
    }

    private static (DateTime, DateTime) Stamp(EngineSettings settings) =>
        (File.GetLastWriteTimeUtc(Path.Combine(settings.ConfigDirectory, EngineSettings.ConfigFileName)), File.GetLastWriteTimeUtc(settings.HolidayFile));
}
