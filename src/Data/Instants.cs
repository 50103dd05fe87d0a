namespace BatchEngine.Data;

/// <summary>
/// Every instant is stored in UTC. PostgreSQL gives it back marked UTC, SQLite as unmarked text; this
/// makes both mean the same.
/// </summary>
public static class Instants
{
    public static DateTime AsUtc(this DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static DateTime? AsUtc(this DateTime? value) => value?.AsUtc();
}
