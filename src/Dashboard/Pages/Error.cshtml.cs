using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages;

/// <summary>
/// The page a person sees for an error status, in Persian and inside the layout; never an exception's text (the log
/// has it). Reached by re-execution, so the status code stays what it was.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    /// <summary>The status already set wins over the route's: an exception re-executes here as 500 with its own status (413).</summary>
    private void Describe(int code)
    {
        (Title, Explanation) = (Response.StatusCode >= 400 ? Response.StatusCode : code) switch
        {
            // A form whose body passed the size limit is cut off before it can be read: it ends here as 400 too.
            400 => ("درخواست نادرست", "درخواست ناقص یا نادرست بود، یا فایل فرستاده‌شده بیش از اندازه بزرگ بود؛ صفحه را دوباره باز کنید و از نو بکوشید."),
            403 => ("دسترسی ندارید", "این صفحه یا این کار در حوزهٔ دسترسی شما نیست."),
            404 => ("صفحه پیدا نشد", "نشانی‌ای که باز کردید در سامانه نیست."),
            413 => ("فایل بیش از اندازه بزرگ است", "حجم فایل یا فرم بیش از اندازهٔ پذیرفتنی است؛ فایل را کوچک‌تر یا چندتکه کنید."),
            _ => ("خطای سامانه", "کار انجام نشد و خطا برای پشتیبانی ثبت شد؛ کمی بعد دوباره بکوشید."),
        };
    }
}
