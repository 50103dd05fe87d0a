using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Partners;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Partners;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Admin;

/// <summary>Every delivery to the partners with its attempts; "deliver now" and "re-send" enqueue the delivery job.</summary>
[Authorize(Roles = Viewer.Admin)]
public sealed class DeliveriesModel(Database database, EngineSettings settings, IBackgroundJobClient jobs, ReportingCalendar calendar) : PageModel
{
    public IReadOnlyList<PartnerOptions> Partners { get; private set; } = [];
    public IReadOnlyList<(Delivery Delivery, IReadOnlyList<DeliveryAttempt> Attempts)> Deliveries { get; private set; } = [];
    public ListPage<Delivery> List { get; private set; } = new([], 0, 1, ListPage.DefaultSize);
    public TehranClock Clock => calendar.Clock;

    /// <summary>The page of the deliveries, from 1.</summary>
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    public async Task OnGetAsync()
    {
        Partners = settings.Partners();
        var store = new Data.Partners.Deliveries(database);
        List = await store.PageAsync(null, PageNumber);
        var list = new List<(Delivery, IReadOnlyList<DeliveryAttempt>)>();
        foreach (var delivery in List.Rows)
        {
            list.Add((delivery, await store.AttemptsAsync(delivery.Id)));
        }

        Deliveries = list;
    }

    /// <summary>A partner's title as configured (its name if it is no longer configured).</summary>
    public string Title(string partner) => Partners.FirstOrDefault(p => p.Name == partner)?.Title ?? partner;

    public static string PageLink(int page) => Pager.Query(page);

    public IActionResult OnPostDeliver(string partner)
    {
        var options = settings.Partner(partner);
        jobs.Enqueue<DeliveryJob>(job => job.RunAsync(options.Name, CancellationToken.None));
        TempData["Message"] = $"ارسال به {options.Title} در صف قرار گرفت.";
        return Redirect("/admin/deliveries");
    }

    public IActionResult OnPostResend(string partner, int sequence)
    {
        var options = settings.Partner(partner);
        jobs.Enqueue<DeliveryJob>(job => job.ResendAsync(options.Name, sequence, CancellationToken.None));
        TempData["Message"] = $"ارسال دوباره بسته {PersianText.Digits(sequence)} به {options.Title} در صف قرار گرفت.";
        return Redirect("/admin/deliveries");
    }
}
