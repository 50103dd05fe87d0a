namespace BatchEngine.Data.Register;

public sealed class Province
{
    public required string Code { get; init; }
    public required string Name { get; init; }
}
