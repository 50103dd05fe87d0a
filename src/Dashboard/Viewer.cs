using System.Globalization;
using System.Security.Claims;
using BatchEngine.Dashboard.Pages;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;

namespace BatchEngine.Dashboard;

/// <summary>The signed-in user as the rules see them: role and scope, from the claims set at sign-in.</summary>
public static class Viewer
{
    public const string Liaison = nameof(Role.Liaison);
    public const string ProvincialExpert = nameof(Role.ProvincialExpert);
    public const string MinistryExpert = nameof(Role.MinistryExpert);
    public const string Admin = nameof(Role.Admin);
    public const string Experts = ProvincialExpert + "," + MinistryExpert;

    public static string Name(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.GivenName) ?? user.Identity?.Name ?? "";

    public static string? Province(this ClaimsPrincipal user) => user.FindFirstValue(DashboardClaims.Province);

    public static long? Unit(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(DashboardClaims.Unit), NumberStyles.None, CultureInfo.InvariantCulture, out var unit) ? unit : null;

    /// <summary>Who did something, as records keep it: the name people see and the user name.</summary>
    public static string Signature(this ClaimsPrincipal user) => $"{user.Name()} ({user.Identity?.Name})";

    /// <summary>The actor of the return workflow, or null for a role that does not act on returns (admin).</summary>
    public static Actor? Actor(this ClaimsPrincipal user)
    {
        var name = user.Signature();
        if (user.IsInRole(Liaison) && user.Unit() is { } unit)
        {
            return Data.Returns.Actor.Liaison(name, unit);
        }

        if (user.IsInRole(ProvincialExpert) && user.Province() is { } province)
        {
            return Data.Returns.Actor.ProvincialExpert(name, province);
        }

        return user.IsInRole(MinistryExpert) ? Data.Returns.Actor.MinistryExpert(name) : null;
    }

    /// <summary>May this user see the unit? A liaison their unit, a provincial expert their province's units, the ministry and admins all.</summary>
    public static bool Sees(this ClaimsPrincipal user, long unitId, string unitProvince) =>
        user.IsInRole(MinistryExpert) || user.IsInRole(Admin)
        || (user.IsInRole(ProvincialExpert) && user.Province() == unitProvince)
        || (user.IsInRole(Liaison) && user.Unit() == unitId);

    /// <summary>The signed-in user as a manager of accounts (the rule of who may change whom).</summary>
    public static AccountManager AccountManager(this ClaimsPrincipal user) =>
        new(user.Identity?.Name, Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : Role.Liaison, user.Province());

    /// <summary>The province a list is limited to: the provincial expert's own; null (all) for the ministry and admins.</summary>
    public static string? ProvinceScope(this ClaimsPrincipal user) => user.IsInRole(ProvincialExpert) ? user.Province() : null;
}
