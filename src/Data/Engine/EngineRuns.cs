using Dapper;

namespace BatchEngine.Data.Engine;

/// <summary>The record of the step's runs: who started it (a trigger, the sweep, the command line), as of when, and what it did.</summary>
public sealed class EngineRuns(Database database)
{
    public async Task<long> StartAsync(string source, DateTime asOf, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO engine_runs (source, as_of, started_at) VALUES (@source, @asOf, @now) RETURNING id",
            new { source, asOf = asOf.AsUtc(), now = now.AsUtc() });
    }

    public async Task FinishAsync(long id, string outcome, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE engine_runs SET finished_at = @now, outcome = @outcome WHERE id = @id",
            new { id, outcome, now = now.AsUtc() });
    }
}
