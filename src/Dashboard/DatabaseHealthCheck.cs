using BatchEngine.Data;
using BatchEngine.Data.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BatchEngine.Dashboard;

/// <summary>Healthy when the database answers and its schema is at the version this build expects.</summary>
public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await new Migrator(database).CurrentVersionAsync(cancellationToken);
            var expected = Migrator.Scripts[^1].Version;
            return version == expected
                ? HealthCheckResult.Healthy($"{database.Description}, schema version {version}")
                : HealthCheckResult.Unhealthy($"{database.Description} is at schema version {version}, expected {expected}");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{database.Description} does not answer: {e.Message}");
        }
    }
}
