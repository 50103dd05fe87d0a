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

    public async Task OnGetAsync() => Users = await new UserAccounts(database).ListAsync(User.ProvinceScope());

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
