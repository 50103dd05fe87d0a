using System.Data.Common;
using Dapper;

namespace BatchEngine.Data.Returns;

/// <summary>One product's figures in one version of a return, with who saved them.</summary>
public sealed class FigureVersionLine
{
    public int Version { get; init; }
    public required string ProductCode { get; init; }
    public decimal Production { get; init; }
    public decimal? Sales { get; init; }
    public decimal? ExportQty { get; init; }
    public decimal? ExportValueUsd { get; init; }
    public int? Employees { get; init; }
    public DateTime SavedAt { get; init => field = value.AsUtc(); }
    public required string Actor { get; init; }
    public ActorRole ActorRole { get; init; }
    public required string Source { get; init; }
}

/// <summary>One figure that differs between two versions (null: absent; a product added or dropped shows all its figures).</summary>
public sealed record FigureChange(string ProductCode, string Figure, decimal? Before, decimal? After);

/// <summary>
/// The versions of returns' figures. Every write of figures (the liaison's form, an office's upload) records the
/// version it leaves, from the rows just written, in the same transaction: one statement for both writers.
/// </summary>
public sealed class FigureVersions(Database database)
{
    /// <summary>The source of figures saved through a form (the liaison's page); an upload's is "upload N".</summary>
    public const string Form = "form";

    /// <summary>Records the figures the returns hold now, at their current version.</summary>
    public static Task RecordAsync(Database database, DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> returnIds,
        Actor actor, string source, DateTime now) =>
        returnIds.Count == 0 ? Task.CompletedTask : connection.ExecuteAsync(
            $"""
            INSERT INTO return_figure_versions (return_id, version, product_code, production, sales, export_qty, export_value_usd, employees,
                                                saved_at, actor, actor_role, source)
            SELECT l.return_id, r.version, l.product_code, l.production, l.sales, l.export_qty, l.export_value_usd, r.employees,
                   @now, @actor, @role, @source
            FROM return_lines l JOIN returns r ON r.id = l.return_id
            WHERE {database.Dialect.InList("l.return_id", "ids")}
            """,
            new { ids = returnIds.ToArray(), now = now.AsUtc(), actor = actor.Name, role = actor.Role.ToString(), source },
            transaction);

    /// <summary>Every recorded version of the return's figures, oldest first.</summary>
    public async Task<IReadOnlyList<FigureVersionLine>> OfAsync(long returnId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<FigureVersionLine>(
            """
            SELECT version, product_code AS ProductCode, production, sales, export_qty AS ExportQty, export_value_usd AS ExportValueUsd,
                   employees, saved_at AS SavedAt, actor, actor_role AS ActorRole, source
            FROM return_figure_versions WHERE return_id = @returnId ORDER BY version, product_code
            """,
            new { returnId })).AsList();
    }

    /// <summary>The figures named as the product's fields: production, sales, export_qty, export_value_usd; employees for the return.</summary>
    public static IReadOnlyList<FigureChange> Diff(IReadOnlyList<FigureVersionLine> before, IReadOnlyList<FigureVersionLine> after)
    {
        var changes = new List<FigureChange>();
        var old = before.ToDictionary(l => l.ProductCode);
        var now = after.ToDictionary(l => l.ProductCode);
        foreach (var product in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var (b, a) = (old.GetValueOrDefault(product), now.GetValueOrDefault(product));
            foreach (var (figure, pick) in Figures)
            {
                var (x, y) = (b is null ? null : pick(b), a is null ? null : pick(a));
                if (x != y)
                {
                    changes.Add(new FigureChange(product, figure, x, y));
                }
            }
        }

        var (employeesBefore, employeesAfter) = (before.FirstOrDefault()?.Employees, after.FirstOrDefault()?.Employees);
        if (before.Count > 0 && employeesBefore != employeesAfter)
        {
            changes.Add(new FigureChange("", "employees", employeesBefore, employeesAfter));
        }

        return changes;
    }

    private static readonly (string Name, Func<FigureVersionLine, decimal?> Pick)[] Figures =
    [
        ("production", l => l.Production), ("sales", l => l.Sales), ("export_qty", l => l.ExportQty), ("export_value_usd", l => l.ExportValueUsd),
    ];
}
