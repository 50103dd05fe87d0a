using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Register;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Register;

/// <summary>
/// The register in the viewer's scope: search units by licence, name, ISIC and status; load a register file (units,
/// products, liaisons, users) or only check it. A provincial expert loads for their own province.
/// </summary>
[Authorize(Roles = Viewer.Experts + "," + Viewer.Admin)]
public sealed class IndexModel(Database database, EngineSettings settings, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Licence { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Isic { get; set; }
    [BindProperty(SupportsGet = true)] public UnitStatus? Status { get; set; }

    /// <summary>The page of the units found, from 1 ("page" is the framework's own route value).</summary>
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public RegisterKind Kind { get; set; }
    [BindProperty] public bool CheckOnly { get; set; }

    public ListPage<Unit> Found { get; private set; } = new([], 0, 1, ListPage.DefaultSize);
    public IReadOnlyList<Unit> Units => Found.Rows;
    public RegisterSummary? Summary { get; private set; }
    public string? Error { get; private set; }
    public string? ReportName { get; private set; }

    public async Task OnGetAsync() =>
        Found = await new RegisterStore(database).SearchUnitsAsync(User.ProvinceScope(), Blank(Licence), Blank(Name), Blank(Isic), Status, PageNumber);

    /// <summary>The address of another page of the same search.</summary>
    public string PageLink(int page) => Pager.Query(page, ("licence", Licence), ("name", Name), ("isic", Isic), ("status", Status?.ToString()));

    public async Task<IActionResult> OnPostAsync()
    {
        // Products and ministry-wide users are the ministry's; a province loads its own units, liaisons and users.
        if (User.IsInRole(Viewer.ProvincialExpert) && Kind == RegisterKind.Products)
        {
            return Forbid();
        }

        if (Upload is not { Length: > 0 })
        {
            Error = "فایلی انتخاب نشده یا فایل خالی است.";
            await OnGetAsync();
            return Page();
        }

        var folder = ReportsFolder();
        Directory.CreateDirectory(folder);
        var stamp = $"{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}";
        var path = Path.Combine(folder, stamp + ".csv");
        await using (var stream = System.IO.File.Create(path))
        {
            await Upload.CopyToAsync(stream);
        }

        ReportName = stamp + "-errors.csv";
        try
        {
            Summary = await new RegisterImport(database, settings.ImportOptions(), time)
                .RunAsync(path, Kind, User.ProvinceScope(), CheckOnly, Path.Combine(folder, ReportName), $"{User.Name()} ({User.Identity!.Name})",
                    User.AccountManager());
        }
        catch (ImportRefusedException e)
        {
            Error = "فایل پذیرفته نشد: " + e.Persian;
        }

        await OnGetAsync();
        return Page();
    }

    /// <summary>Each user's register files and reports in a folder of their own: a report is served to whoever loaded the file, whatever its name.</summary>
    private string ReportsFolder() => Path.Combine(settings.DataDirectory, "register", User.Identity!.Name!);

    /// <summary>An error report of a register load (the name is the one the page gave; nothing else in the folder is served).</summary>
    public IActionResult OnGetReport(string name)
    {
        var path = Path.Combine(ReportsFolder(), Path.GetFileName(name));
        return name.EndsWith("-errors.csv", StringComparison.Ordinal) && System.IO.File.Exists(path) ? PhysicalFile(path, "text/csv", "register-errors.csv") : NotFound();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : BatchEngine.Data.Calendar.PersianText.Clean(text);
}
