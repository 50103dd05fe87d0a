namespace BatchEngine.Data.Register;

public enum UnitStatus
{
    Active,
    PossiblyInactive,
    Closed,
}

/// <summary>An industrial unit of the register, identified by its operating licence number.</summary>
public sealed class Unit
{
    public long Id { get; init; }
    public required string LicenceNo { get; init; }
    public required string Name { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Isic { get; init; }
    public UnitStatus Status { get; init; }
    public DateTime CreatedAt { get; init => field = value.AsUtc(); }
}
