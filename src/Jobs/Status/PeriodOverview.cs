using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;

namespace BatchEngine.Jobs.Status;

/// <summary>A period's counts as of an instant: suspension candidates are judged on the periods whose deadline has passed.</summary>
public sealed class PeriodOverview(Database database, ReportingCalendar calendar, EngineSettings settings)
{
    public Task<PeriodStatus> GetAsync(JalaliPeriod period, string? province, DateTimeOffset now)
    {
        var window = calendar.LastClosedAt(period, now).LastPeriods(settings.SuspensionCandidateMisses);
        return new PeriodStatusQuery(database).GetAsync(period, province, window, now.UtcDateTime);
    }
}
