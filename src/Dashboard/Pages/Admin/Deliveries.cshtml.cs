using BatchEngine.Data;
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
    public TehranClock Clock => calendar.Clock;

    public async Task OnGetAsync()
    {
        Partners = settings.Partners();
        var store = new Data.Partners.Deliveries(database);
        var list = new List<(Delivery, IReadOnlyList<DeliveryAttempt>)>();
        foreach (var delivery in await store.LatestAsync(null, 50))
        {
            list.Add((delivery, await store.AttemptsAsync(delivery.Id)));
        }

        Deliveries = list;
    }

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
