using BatchEngine.Data;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Calendar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Register;

/// <summary>
/// Users in the viewer's scope (a provincial expert: their province's experts and its units' liaisons; the ministry and
/// the admin: all), disabled and enabled again by whoever manages them (<see cref="AccountAuthority"/>), never deleted.
/// New users come from a users file on the register page.
/// </summary>
[Authorize(Roles = Viewer.Experts + "," + Viewer.Admin)]
public sealed class UsersModel(Database database, TimeProvider time) : PageModel
{
    public IReadOnlyList<User> Users { get; private set; } = [];

    private IReadOnlyDictionary<string, AccountScope> _scopes = new Dictionary<string, AccountScope>();

    public async Task OnGetAsync()
    {
        var accounts = new UserAccounts(database);
        Users = await accounts.ListAsync(User.ProvinceScope());
        _scopes = await accounts.ScopesAsync();
    }

    /// <summary>Whether the viewer may act on this user at all (the actions themselves check again).</summary>
    public bool Manages(User user) =>
        _scopes.TryGetValue(user.UserName, out var scope) && AccountAuthority.Manages(User.AccountManager(), scope.Role, scope.ProvinceCode);

    public async Task<IActionResult> OnPostAsync(string userName, bool disable)
    {
        var accounts = new UserAccounts(database);
        if (await accounts.ScopeAsync(userName) is not { } target)
        {
            return Forbid();
        }

        if (AccountAuthority.RefuseDisable(User.AccountManager(), target, disable, await accounts.OtherActiveAdminsAsync(userName)) is { } refusal)
        {
            return refusal == AccountRefusal.NotManaged ? Forbid() : Refused(refusal.Persian());
        }

        await accounts.SetDisabledAsync(userName, disable, $"{User.Name()} ({User.Identity!.Name})", time.GetUtcNow().UtcDateTime);
        TempData["Message"] = $"کاربر {userName} {(disable ? "غیرفعال" : "فعال")} شد.";
        return Redirect("/register/users");
    }

    /// <summary>A one-time password for a user the viewer manages, shown here once; the user must choose a new one at sign-in.</summary>
    public async Task<IActionResult> OnPostResetAsync(string userName)
    {
        var accounts = new UserAccounts(database);
        if (await accounts.ScopeAsync(userName) is not { } target)
        {
            return Forbid();
        }

        if (AccountAuthority.RefuseReset(User.AccountManager(), target) is { } refusal)
        {
            return refusal == AccountRefusal.NotManaged ? Forbid() : Refused(refusal.Persian());
        }

        var password = await accounts.ResetPasswordAsync(userName, $"{User.Name()} ({User.Identity!.Name})", time.GetUtcNow().UtcDateTime);
        TempData["Message"] = $"گذرواژهٔ یک‌بار مصرف {userName}: {password} — فقط همین یک بار نشان داده می‌شود؛ کاربر در نخستین ورود گذرواژهٔ تازه برمی‌گزیند.";
        return Redirect("/register/users");
    }

    private IActionResult Refused(string message)
    {
        TempData["Error"] = message;
        return Redirect("/register/users");
    }

    public static string RoleName(Role role) => role switch
    {
        Role.Liaison => "رابط واحد",
        Role.ProvincialExpert => "کارشناس استان",
        Role.MinistryExpert => "کارشناس وزارت",
        _ => "مدیر سامانه",
    };
}
