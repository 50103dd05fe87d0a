using Dapper;
using BatchEngine.Data.Returns;

namespace BatchEngine.Data.Register;

/// <summary>
/// A unit's life in the register beyond the engine's own marks: a provincial expert (or the ministry) closes it with a
/// reason and a date, and reopens it. A closed unit is not expected for periods that open while it is closed.
/// </summary>
public sealed class UnitLifecycle(Database database)
{
    public async Task CloseAsync(long unitId, DateTime closedAt, string reason, Actor actor, DateTime now)
    {
        await ChangeAsync(unitId, reason, actor, now, UnitStatus.Closed, async (connection, transaction) =>
            await connection.ExecuteAsync("INSERT INTO unit_closures (unit_id, closed_at) VALUES (@unitId, @closedAt)",
                new { unitId, closedAt = closedAt.AsUtc() }, transaction),
            $"closed from {closedAt.AsUtc():yyyy-MM-dd HH:mm}Z");
    }

    public async Task ReopenAsync(long unitId, string reason, Actor actor, DateTime now)
    {
        await ChangeAsync(unitId, reason, actor, now, UnitStatus.Active, async (connection, transaction) =>
            await connection.ExecuteAsync("UPDATE unit_closures SET reopened_at = @now WHERE unit_id = @unitId AND reopened_at IS NULL",
                new { unitId, now = now.AsUtc() }, transaction),
            "reopened");
    }

    private async Task ChangeAsync(long unitId, string reason, Actor actor, DateTime now, UnitStatus to,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task> record, string details)
    {
        if (actor.Role is not (ActorRole.ProvincialExpert or ActorRole.MinistryExpert))
        {
            throw Refusals.NotForUnitLifecycle();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw Refusals.LifecycleNeedsReason();
        }

        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var unit = await RegisterStore.FindUnitAsync(connection, transaction, unitId)
            ?? throw Refusals.UnknownUnit(unitId);
        ReturnWorkflow.CheckScope(actor, unit.Id, unit.ProvinceCode);
        if ((unit.Status == UnitStatus.Closed) == (to == UnitStatus.Closed))
        {
            throw to == UnitStatus.Closed ? Refusals.AlreadyClosed(unit.LicenceNo) : Refusals.NotClosed(unit.LicenceNo);
        }

        await connection.ExecuteAsync("UPDATE units SET status = @to WHERE id = @unitId", new { to = to.ToString(), unitId }, transaction);
        await record(connection, transaction);
        await RegisterHistory.AppendAsync(connection, transaction, "Unit", unit.LicenceNo, actor.Name, to == UnitStatus.Closed ? "Closed" : "Reopened",
            details, reason.Trim(), now);
        await transaction.CommitAsync();
    }
}
