using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Imports;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Import;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Uploads;

/// <summary>
/// A provincial office uploads a returns CSV: it is checked at once for what refuses a whole file, then imported (or
/// only checked) by the background import job; the list shows progress, the summary and the error report.
/// </summary>
[Authorize(Roles = Viewer.ProvincialExpert + "," + Viewer.Admin)]
[RequestSizeLimit(MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
public sealed class IndexModel(Database database, UploadImport import, IBackgroundJobClient jobs, EngineSettings settings, ReportingCalendar calendar) : PageModel
{
    // A little above Import:MaxFileBytes' default, so that an over-sized file gets the import's own clear refusal.
    private const long MaxUpload = 210L * 1024 * 1024;

    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public bool CheckOnly { get; set; }

    /// <summary>The page of the uploads list, from 1.</summary>
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    public ListPage<Upload> List { get; private set; } = new([], 0, 1, ListPage.DefaultSize);
    public IReadOnlyList<Upload> Uploads => List.Rows;
    public string? Error { get; private set; }
    public TehranClock Clock => calendar.Clock;
    public bool Running => Uploads.Any(u => u.State is UploadState.Queued or UploadState.Running);

    public async Task OnGetAsync() => List = await new Data.Imports.Uploads(database).PageAsync(User.ProvinceScope(), PageNumber);

    public static string PageLink(int page) => Pager.Query(page);

    public async Task<IActionResult> OnPostAsync()
    {
        if (!User.IsInRole(Viewer.ProvincialExpert) || User.Province() is not { } province)
        {
            return Forbid();
        }

        if (Upload is not { Length: > 0 })
        {
            Error = "فایلی انتخاب نشده یا فایل خالی است.";
            await OnGetAsync();
            return Page();
        }

        var folder = Path.Combine(settings.UploadsDirectory(), "incoming");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.csv");
        await using (var stream = System.IO.File.Create(path))
        {
            await Upload.CopyToAsync(stream);
        }

        try
        {
            var (upload, created) = await import.RegisterAsync(path, Path.GetFileName(Upload.FileName), province, CheckOnly, User.Identity!.Name!);
            if (!created)
            {
                System.IO.File.Delete(path);
                TempData["Message"] = $"این فایل پیش‌تر وارد شده است (بارگذاری {PersianText.Digits(upload.Id)}) و چیزی تغییر نکرد.";
            }
            else
            {
                jobs.Enqueue<ImportJob>(job => job.RunAsync(upload.Id, CancellationToken.None));
                TempData["Message"] = CheckOnly ? "فایل برای بررسی در صف قرار گرفت." : "فایل برای ورود در صف قرار گرفت.";
            }
        }
        catch (ImportRefusedException e)
        {
            System.IO.File.Delete(path);
            Error = "فایل پذیرفته نشد: " + e.Persian;
            await OnGetAsync();
            return Page();
        }

        return Redirect("/uploads");
    }

    /// <summary>The error report of an upload in the viewer's scope.</summary>
    public async Task<IActionResult> OnGetReportAsync(long id)
    {
        var upload = await new Data.Imports.Uploads(database).GetAsync(id);
        if (upload is null || (User.ProvinceScope() is { } province && upload.ProvinceCode != province))
        {
            return Forbid();
        }

        return upload.ErrorReport is { } report && System.IO.File.Exists(report)
            ? PhysicalFile(report, "text/csv", $"upload-{id}-errors.csv")
            : NotFound();
    }

    public static string StateName(UploadState state) => state switch
    {
        UploadState.Queued => "در صف",
        UploadState.Running => "در حال پردازش",
        UploadState.Completed => "پایان‌یافته",
        UploadState.Refused => "رد شد",
        _ => "ناموفق (دوباره اجرا می‌شود)",
    };
}
