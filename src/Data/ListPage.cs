using System.Data.Common;
using Dapper;

namespace BatchEngine.Data;

/// <summary>One page of a list and how many rows the whole list holds: a list is never cut short unsaid.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int First => Total == 0 ? 0 : ((Page - 1) * PageSize) + 1;
    public int Last => ((Page - 1) * PageSize) + Rows.Count;
}

public static class ListPage
{
    public const int DefaultSize = 100;

    /// <summary>
    /// Counts the rows of <paramref name="fromWhere"/> and reads page <paramref name="page"/> (from 1; past the last, the
    /// last) of <paramref name="columns"/> in <paramref name="orderBy"/> order, which must be total for pages not to overlap.
    /// <paramref name="countFromWhere"/>, when given, counts the same rows without the joins only the columns need
    /// (SQLite keeps an unread left join, and counting 800,000 rows through it took 1.4 s).
    /// </summary>
    public static async Task<ListPage<T>> QueryAsync<T>(DbConnection connection, string columns, string fromWhere, string orderBy,
        object parameters, int page, int pageSize, DbTransaction? transaction = null, string? countFromWhere = null)
    {
        var size = Math.Clamp(pageSize, 1, 1000);
        var arguments = new DynamicParameters(parameters);
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) {countFromWhere ?? fromWhere}", arguments, transaction);
        var current = Math.Clamp(page, 1, Math.Max(1, (total + size - 1) / size));
        arguments.Add("pageSize", size);
        arguments.Add("pageOffset", (current - 1) * size);
        var rows = (await connection.QueryAsync<T>($"SELECT {columns} {fromWhere} ORDER BY {orderBy} LIMIT @pageSize OFFSET @pageOffset", arguments, transaction)).AsList();
        return new ListPage<T>(rows, total, current, size);
    }
}
