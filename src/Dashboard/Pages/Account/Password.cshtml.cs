using System.Security.Claims;
using BatchEngine.Data;
using BatchEngine.Data.Register;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Account;

/// <summary>A user changes their password; with a first password this is the only page open to them.</summary>
public sealed class PasswordModel(Database database) : PageModel
{
    [BindProperty] public string Current { get; set; } = "";
    [BindProperty] public string Replacement { get; set; } = "";
    [BindProperty] public string Confirmation { get; set; } = "";
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Error = PasswordPolicy.Refuse(Replacement, User.Identity!.Name!) is { } refusal ? refusal.Persian()
            : Replacement != Confirmation ? "تکرار گذرواژه تازه با آن یکی نیست."
            : Replacement == Current ? "گذرواژه تازه باید با گذرواژه کنونی فرق داشته باشد."
            : null;
        var stamp = Error is null ? await new UserAccounts(database).ChangePasswordAsync(User.Identity!.Name!, Current, Replacement) : null;
        Error ??= stamp is null ? "گذرواژه کنونی نادرست است." : null;
        if (Error is not null)
        {
            return Page();
        }

        // The same sign-in without the first-password mark, with the new stamp: every other session of the user has ended.
        var identity = new ClaimsIdentity(
            User.Claims.Where(c => c.Type is not (DashboardClaims.MustChangePassword or DashboardClaims.Stamp)).Append(new Claim(DashboardClaims.Stamp, stamp!)),
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        TempData["Message"] = "گذرواژه تغییر کرد.";
        return Redirect("/");
    }
}
