using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Calendar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Admin;

/// <summary>The keys of partner systems for the reporting-status API: created (shown once), revoked, with their use.</summary>
[Authorize(Roles = Viewer.Admin)]
public sealed class ApiKeysModel(Database database, TimeProvider time, ReportingCalendar calendar) : PageModel
{
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;
    [BindProperty] public string? Name { get; set; }

    public ListPage<ApiKey> Keys { get; private set; } = new([], 0, 1, ListPage.DefaultSize);
    public TehranClock Clock => calendar.Clock;

    /// <summary>The key just created: shown on this response only, never stored.</summary>
    public string? NewKey { get; private set; }

    public async Task OnGetAsync() => Keys = await new ApiKeys(database).PageAsync(PageNumber);

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var name = PersianText.Clean(Name ?? "");
        if (name.Length is 0 or > 100)
        {
            TempData["Error"] = "نام سامانهٔ همکار را بنویسید (حداکثر ۱۰۰ نویسه)؛ کلیدی ساخته نشد.";
            return Redirect("/admin/api-keys");
        }

        try
        {
            var (key, _) = await new ApiKeys(database).CreateAsync(name, ApiKeys.ReportingStatus, User.Signature(), time.GetUtcNow().UtcDateTime);
            NewKey = key;
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            TempData["Error"] = $"کلیدی با نام «{name}» از پیش هست؛ نام دیگری بنویسید.";
            return Redirect("/admin/api-keys");
        }

        await OnGetAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var keys = new ApiKeys(database);
        if (await keys.FindAsync(id) is not { } key)
        {
            return NotFound();
        }

        TempData["Message"] = await keys.RevokeAsync(id, User.Signature(), time.GetUtcNow().UtcDateTime)
            ? $"کلید «{key.Name}» باطل شد؛ از این پس هر درخواستی با آن رد می‌شود."
            : $"کلید «{key.Name}» پیش‌تر باطل شده بود.";
        return Redirect("/admin/api-keys");
    }

    public static string PageLink(int page) => Pager.Query(page);
}
