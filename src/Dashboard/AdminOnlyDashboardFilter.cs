using BatchEngine.Data.Register;
using Hangfire.Dashboard;

namespace BatchEngine.Dashboard;

/// <summary>The Hangfire dashboard is for signed-in admins only, wherever the request comes from.</summary>
public sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(nameof(Role.Admin));
}
