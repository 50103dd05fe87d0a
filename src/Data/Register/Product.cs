namespace BatchEngine.Data.Register;

/// <summary>An entry of the product catalogue; quantities of it are reported in <see cref="UnitOfMeasure"/>.</summary>
public sealed class Product
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string UnitOfMeasure { get; init; }
    public required string Isic { get; init; }
}
