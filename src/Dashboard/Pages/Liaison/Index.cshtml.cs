using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Liaison;

/// <summary>A liaison's unit: every open period with its state, deadline and days left.</summary>
[Authorize(Roles = Viewer.Liaison)]
public sealed class IndexModel(Database database, ReportingCalendar calendar, TimeProvider time) : PageModel
{
    public Unit? Unit { get; private set; }
    public IReadOnlyList<UnitPeriod> Periods { get; private set; } = [];
    public TehranClock Clock => calendar.Clock;
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        var unit = User.Unit()!.Value;
        Unit = await new RegisterStore(database).FindUnitAsync(unit);
        Periods = await new ReviewQueries(database).UnitPeriodsAsync(unit);
        Now = time.GetUtcNow();
    }

    /// <summary>Whole days from today to the deadline's day, Tehran time; negative once it has passed.</summary>
    public int DaysLeft(UnitPeriod period) =>
        Clock.DateOf(new DateTimeOffset(period.LateFrom.AddSeconds(-1))).ToGregorian().DayNumber - Clock.DateOf(Now).ToGregorian().DayNumber;

    public static bool MayEdit(UnitPeriod period) => period.State is null || ReturnWorkflow.FiguresMayChange(period.State.Value);
}
