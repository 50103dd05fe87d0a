namespace BatchEngine.Data.Status;

/// <summary>
/// The units that reported for the periods a condition over <c>returns r</c> selects, as one set gathered once
/// (uncorrelated): statements over every unit test membership in it rather than look up each unit's returns with a
/// plan chosen from statistics, which at national scale never hold the newest period. Needs the parameter
/// <c>@reported</c> (<see cref="Flags.MissedDeadlines.ReportedStates"/>).
/// </summary>
public static class ReportedUnits
{
    public static string Where(SqlDialect sql, string periodCondition) =>
        $"(SELECT r.unit_id FROM returns r WHERE {periodCondition} AND {sql.InList("r.state", "reported")})";

    /// <summary>The units that reported for the period of parameter <c>@period</c>.</summary>
    public static string Of(SqlDialect sql) => Where(sql, "r.period = @period");
}
