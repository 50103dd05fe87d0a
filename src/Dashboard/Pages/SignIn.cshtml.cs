using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using BatchEngine.Data;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Calendar;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages;

/// <summary>Sign-in with user name and password; repeated failures lock the account for a while.</summary>
[AllowAnonymous]
public sealed class SignInModel(Database database, ReportingCalendar calendar, TimeProvider time, IConfiguration configuration) : PageModel
{
    [BindProperty, Required(ErrorMessage = "نام کاربری را وارد کنید.")]
    public string UserName { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "گذرواژه را وارد کنید."), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var outcome = await new UserAccounts(database).SignInAsync(UserName.Trim(), Password, time.GetUtcNow().UtcDateTime,
            configuration.GetValue("SignIn:MaxFailures", 5), TimeSpan.FromMinutes(configuration.GetValue("SignIn:LockoutMinutes", 15)));
        if (outcome.User is not { } user)
        {
            Error = outcome.Disabled ? "این حساب غیرفعال شده است؛ با کارشناس استان یا مدیر سامانه تماس بگیرید."
                : outcome.LockedUntil is { } until
                ? $"این حساب به دلیل تلاش‌های ناموفق پیاپی تا {InstantText.Persian(new DateTimeOffset(until), calendar.Clock)} قفل است."
                : "نام کاربری یا گذرواژه نادرست است.";
            return Page();
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.UserName),
            new(ClaimTypes.GivenName, user.DisplayName),
            new(ClaimTypes.Role, user.Role.ToString()),
            new(DashboardClaims.Stamp, user.SecurityStamp),
        };
        if (user.ProvinceCode is { } province)
        {
            claims.Add(new Claim(DashboardClaims.Province, province));
        }

        if (user.UnitId is { } unit)
        {
            claims.Add(new Claim(DashboardClaims.Unit, unit.ToString(CultureInfo.InvariantCulture)));
        }

        if (user.MustChangePassword)
        {
            claims.Add(new Claim(DashboardClaims.MustChangePassword, "true"));
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
        return LocalRedirect(user.MustChangePassword ? "/account/password" : Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        if (User.Identity?.Name is { } userName)
        {
            await new UserAccounts(database).RevokeSessionsAsync(userName);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}

/// <summary>The scope claims a signed-in user carries besides their role.</summary>
public static class DashboardClaims
{
    public const string Province = "batchengine:province";
    public const string Unit = "batchengine:unit";

    /// <summary>The user's security stamp when the session was issued: a session whose stamp is no longer the user's is refused.</summary>
    public const string Stamp = "batchengine:stamp";

    /// <summary>Signed in with a first password: every page leads to the password change until it is done.</summary>
    public const string MustChangePassword = "batchengine:must-change-password";
}
