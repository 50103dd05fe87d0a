namespace BatchEngine.Data.Register;

/// <summary>The person a unit names to report for it (رابط); reminders go to their e-mail and mobile.</summary>
public sealed class Liaison
{
    public long Id { get; init; }
    public long UnitId { get; init; }
    public required string Name { get; init; }
    public string? Email { get; init; }
    public string? Mobile { get; init; }
    public string? NationalId { get; init; }

    /// <summary>When the liaison left the unit; null while they are its liaison.</summary>
    public DateTime? ActiveTo { get; init => field = value?.AsUtc(); }
}
