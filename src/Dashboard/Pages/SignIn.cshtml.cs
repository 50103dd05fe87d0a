using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using BatchEngine.Data;
using BatchEngine.Data.Register;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages;

/// <summary>
/// Sign-in with user name and password; repeated failures from one address are throttled (<see cref="SignInThrottle"/>),
/// and every refusal reads the same.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(Database database, SignInThrottle throttle) : PageModel
{
    public const string Refused = "نام کاربری یا گذرواژه نادرست است، یا تلاش‌های ناموفق از این نشانی زیاد بوده است؛ چند دقیقه بعد دوباره بکوشید.";

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

        // One answer for an unknown name, a wrong password and a throttled address, in about the same time (a password check each).
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var userName = UserName.Trim();
        var allowed = throttle.Allows(address, userName);
        var outcome = await new UserAccounts(database).SignInAsync(userName, Password);
        if (!allowed || outcome.User is not { } user)
        {
            if (!outcome.Disabled)
            {
                throttle.Failed(address, userName);
            }

            Error = allowed && outcome.Disabled ? "این حساب غیرفعال شده است؛ با کارشناس استان یا مدیر سامانه تماس بگیرید." : Refused;
            return Page();
        }

        throttle.Succeeded(address, userName);
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
