using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Queue;

/// <summary>
/// The expert's queue: a provincial expert sees their province's returns awaiting them (submitted, or returned by the
/// ministry); a ministry expert the forwarded returns of every province; longest waiting first. Several returns, or all
/// that match the filter, can be acted on at once: no action is chosen by default, and nothing happens before the
/// expert confirms what will happen to how many returns; the filter and the ticks survive a refusal.
/// </summary>
[Authorize(Roles = Viewer.Experts)]
public sealed class IndexModel(Database database, Review review, ReportingCalendar calendar, EngineSettings settings, ReviewDeadline deadline, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Licence { get; set; }
    [BindProperty(SupportsGet = true)] public string? Isic { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Late { get; set; }

    /// <summary>Only the returns the outlier rule flags (either way, or up or down).</summary>
    [BindProperty(SupportsGet = true)] public OutlierDirection? Outlier { get; set; }

    /// <summary>The ministry's list of registered returns (to reopen one for correction) instead of its queue.</summary>
    [BindProperty(SupportsGet = true)] public bool Registered { get; set; }

    /// <summary>The ministry's choice of one province; a provincial expert's queue is their province whatever this says.</summary>
    [BindProperty(SupportsGet = true)] public string? Province { get; set; }

    /// <summary>The page of the queue, from 1 ("page" is the framework's own route value).</summary>
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    /// <summary>The selected returns as <c>id:version</c>.</summary>
    [BindProperty] public List<string> Selected { get; set; } = [];

    /// <summary>Every return matching the filter, on all pages; <see cref="MatchingCount"/> is how many the expert saw.</summary>
    [BindProperty] public bool AllMatching { get; set; }
    [BindProperty] public int MatchingCount { get; set; }
    [BindProperty] public ReturnState? To { get; set; }
    [BindProperty] public string? Reason { get; set; }
    /// <summary>What the expert confirmed (how many, which action, which reason); anything else changed asks again.</summary>
    [BindProperty] public string? Confirmed { get; set; }

    public ListPage<ReturnRow> Queue { get; private set; } = new([], 0, 1, ListPage.DefaultSize);
    public IReadOnlyList<ReturnRow> Rows => Queue.Rows;

    /// <summary>The strongest outlier finding of each return on the page.</summary>
    public IReadOnlyDictionary<long, OutlierFinding> Outliers { get; private set; } = new Dictionary<long, OutlierFinding>();
    public string? Error { get; private set; }

    /// <summary>What the expert is asked to confirm: how many returns, and what will happen to them.</summary>
    public string? Confirmation { get; private set; }

    public TehranClock Clock => calendar.Clock;
    public DateTime Now { get; } = time.GetUtcNow().UtcDateTime;

    private IReadOnlyList<ReturnState> States => Registered && User.IsInRole(Viewer.MinistryExpert)
        ? [ReturnState.Registered]
        : ReturnWorkflow.AwaitingReviewBy(User.Actor()!.Role);

    public IReadOnlyList<(ReturnState To, string Label, bool NeedsReason)> BulkActions => Review.Actions(User, States[0]);

    private ReviewQueries Queries => new(database, settings.Outliers);

    public async Task OnGetAsync() => await LoadAsync(Queries);

    public async Task<IActionResult> OnPostAsync()
    {
        var queries = Queries;
        await LoadAsync(queries);
        if (PeriodUnread)
        {
            return Page();
        }

        if (To is not { } to || BulkActions.FirstOrDefault(a => a.To == to) is not { Label: not null } action)
        {
            Error = "اقدامی برگزیده نشده است؛ از فهرست «اقدام» یکی را برگزینید.";
            return Page();
        }

        var targets = AllMatching ? await queries.QueueTargetsAsync(Filter() with { Page = 1 }) : Selected.Select(Parse).OfType<(long, int)>().ToList();
        // A reason is needed when the move needs one from the state of any return chosen (the ministry's returns need one to go back).
        if (string.IsNullOrWhiteSpace(Reason) && (await queries.StatesAsync(targets.Select(t => t.Id).ToList())).Any(from => ReturnWorkflow.ReasonRequired(from, to)))
        {
            Error = $"برای «{action.Label}» این اظهارنامه‌ها نوشتن دلیل لازم است؛ دلیل را بنویسید و دوباره بفرستید.";
            return Page();
        }

        if (AllMatching && targets.Count != MatchingCount)
        {
            Error = $"فهرست در این فاصله تغییر کرد: اکنون {PersianText.Number(targets.Count)} اظهارنامه با این پالایش هست، نه {PersianText.Number(MatchingCount)}. دوباره بررسی کنید.";
            MatchingCount = targets.Count;
            return Page();
        }

        if (targets.Count == 0)
        {
            Error = "هیچ اظهارنامه‌ای برگزیده نشده است.";
            return Page();
        }

        var what = $"{targets.Count.ToString(CultureInfo.InvariantCulture)}:{to}:{Reason?.Trim()}";
        if (Confirmed != what)
        {
            Confirmation = $"{PersianText.Number(targets.Count)} اظهارنامه «{action.Label}» خواهند شد" +
                (string.IsNullOrWhiteSpace(Reason) ? "." : $" با این دلیل: «{Reason.Trim()}».");
            Confirmed = what;
            return Page();
        }

        Error = await review.MoveAsync(User, targets, to, Reason);
        if (Error is not null)
        {
            return Page();
        }

        TempData["Message"] = $"انجام شد: {PersianText.Number(targets.Count)} اظهارنامه «{action.Label}» شدند.";
        return Redirect(Request.Path + Request.QueryString);
    }

    /// <summary>Text was typed as the period that is not one: nothing is listed, nor moved, rather than every period.</summary>
    private bool PeriodUnread => Blank(Period) is { } text && !JalaliPeriod.TryParse(text, out _);

    private async Task LoadAsync(ReviewQueries queries)
    {
        if (PeriodUnread)
        {
            Error = Persian.UnreadPeriod(Period);
            return;
        }

        Queue = await queries.QueueAsync(Filter());
        Outliers = await queries.OutliersAsync(Queue.Rows);
    }

    /// <summary>The last day of the expert's review of the return, and whether it has passed.</summary>
    public (JalaliDate LastDay, bool Overdue) ReviewDue(ReturnRow row)
    {
        var reviewer = User.Actor()!.Role;
        return (deadline.LastDay(reviewer, row.Period, row.UpdatedAt), deadline.Due(reviewer, row.Period, row.UpdatedAt) <= new DateTimeOffset(Now));
    }

    /// <summary>Whole days since the return last moved (submitted, or returned by the ministry).</summary>
    public int DaysWaiting(ReturnRow row) => Math.Max(0, (int)(Now - row.UpdatedAt).TotalDays);

    public bool IsSelected(ReturnRow row) => Selected.Contains($"{row.Id.ToString(CultureInfo.InvariantCulture)}:{row.Version.ToString(CultureInfo.InvariantCulture)}");

    private QueueFilter Filter() =>
        new(States, User.ProvinceScope() ?? Blank(Province), JalaliPeriod.TryParse(Period, out var period) ? period : null, Blank(PersianText.Clean(Licence ?? "")), Blank(Isic), Late, PageNumber, Outlier: Outlier);

    /// <summary>The address of another page of the same queue, filters kept.</summary>
    public string PageLink(int page) =>
        Pager.Query(page, ("period", Period), ("licence", Licence), ("isic", Isic), ("late", Late?.ToString().ToLowerInvariant()), ("province", Province),
            ("outlier", Outlier?.ToString()),
            ("registered", Registered ? "true" : null));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : PersianText.Clean(text);

    private static (long, int)? Parse(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? (id, version) : null;
    }
}
