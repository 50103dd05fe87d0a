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

    public async Task FinishAsync(long id, string outcome, string outcomePersian, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE engine_runs SET finished_at = @now, outcome = @outcome, outcome_persian = @outcomePersian WHERE id = @id",
            new { id, outcome, outcomePersian, now = now.AsUtc() });
    }

    /// <summary>A page of the runs of the step, newest first, with what each did and the total.</summary>
    public async Task<ListPage<EngineRun>> PageAsync(int page, int pageSize = ListPage.DefaultSize)
    {
        await using var connection = await database.OpenAsync();
        return await ListPage.QueryAsync<EngineRun>(connection,
            "id, source, as_of AS AsOf, started_at AS StartedAt, finished_at AS FinishedAt, outcome, outcome_persian AS OutcomePersian",
            "FROM engine_runs", "id DESC", new { }, page, pageSize);
    }
}

public sealed class EngineRun
{
    public long Id { get; init; }
    public required string Source { get; init; }
    public DateTime AsOf { get; init => field = value.AsUtc(); }
    public DateTime StartedAt { get; init => field = value.AsUtc(); }
    public DateTime? FinishedAt { get; init => field = value?.AsUtc(); }
    public string? Outcome { get; init; }
    public string? OutcomePersian { get; init; }
}
