using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Queue;

/// <summary>
/// The expert's queue: a provincial expert sees their province's returns awaiting them (submitted, or returned by the
/// ministry); a ministry expert the forwarded returns of every province. Several can be acted on at once.
/// </summary>
[Authorize(Roles = Viewer.Experts)]
public sealed class IndexModel(Database database, Review review, ReportingCalendar calendar) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Licence { get; set; }
    [BindProperty(SupportsGet = true)] public string? Isic { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Late { get; set; }

    /// <summary>The page of the queue, from 1 ("page" is the framework's own route value).</summary>
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    /// <summary>The selected returns as <c>id:version</c>.</summary>
    [BindProperty] public List<string> Selected { get; set; } = [];
    [BindProperty] public ReturnState To { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public ListPage<ReturnRow> Queue { get; private set; } = new([], 0, 1, ListPage.DefaultSize);
    public IReadOnlyList<ReturnRow> Rows => Queue.Rows;
    public string? Error { get; private set; }
    public TehranClock Clock => calendar.Clock;

    public IReadOnlyList<(ReturnState To, string Label)> BulkActions => User.IsInRole(Viewer.MinistryExpert)
        ? [(ReturnState.Registered, "ثبت نهایی"), (ReturnState.ReturnedByMinistry, "برگشت به استان")]
        : [(ReturnState.ForwardedToMinistry, "تأیید و ارجاع به وزارت"), (ReturnState.ReturnedByProvince, "برگشت به رابط واحد")];

    public async Task OnGetAsync() => Queue = await new ReviewQueries(database).QueueAsync(Filter());

    public async Task<IActionResult> OnPostAsync()
    {
        var targets = Selected.Select(Parse).OfType<(long, int)>().ToList();
        Error = await review.MoveAsync(User, targets, To, Reason);
        if (Error is null)
        {
            TempData["Message"] = $"{PersianText.Digits(targets.Count)} اظهارنامه: {BulkActions.First(a => a.To == To).Label} انجام شد.";
            return Redirect(Request.Path + Request.QueryString);
        }

        Queue = await new ReviewQueries(database).QueueAsync(Filter());
        return Page();
    }

    private QueueFilter Filter() => new(
        User.IsInRole(Viewer.MinistryExpert) ? [ReturnState.ForwardedToMinistry] : [ReturnState.Submitted, ReturnState.ReturnedByMinistry],
        User.ProvinceScope(), Blank(Period), Blank(PersianText.Clean(Licence ?? "")), Blank(Isic), Late, PageNumber);

    /// <summary>The address of another page of the same queue, filters kept.</summary>
    public string PageLink(int page) =>
        Pager.Query(page, ("period", Period), ("licence", Licence), ("isic", Isic), ("late", Late?.ToString().ToLowerInvariant()));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : PersianText.Clean(text);

    private static (long, int)? Parse(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? (id, version) : null;
    }
}
