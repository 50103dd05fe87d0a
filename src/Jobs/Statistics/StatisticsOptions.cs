namespace BatchEngine.Jobs.Statistics;

/// <summary>A product the ministry publishes monthly figures of, made up of products of the register.</summary>
public sealed class SelectedProduct
{
    /// <summary>A short Latin name, used in files and the API (e.g. <c>cement</c>).</summary>
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string UnitOfMeasure { get; set; } = "";

    /// <summary>The register's product codes whose production adds up to this product.</summary>
    public List<string> ProductCodes { get; set; } = [];
}

/// <summary><c>Statistics</c> in the configuration: the selected products and the settings of the imputation.</summary>
public sealed class StatisticsOptions
{
    public List<SelectedProduct> Products { get; set; } = [];

    /// <summary>How many months back a unit's last registered figure may be carried forward; older, its figure a year before is used.</summary>
    public int CarryForwardMonths { get; set; } = 3;

    /// <summary>A unit that has not reported for this many months in a row (the month itself included) is not imputed.</summary>
    public int NotImputedAfterMonths { get; set; } = 3;

    /// <summary>A province's own ratio is used when at least this many of its units reported in both months; else the national one.</summary>
    public int ProvinceRatioMinUnits { get; set; } = 5;

    /// <summary>Refuses a catalogue that would count a register product twice or name a product without its parts.</summary>
    public void Validate()
    {
        foreach (var product in Products)
        {
            if (product.Code.Length == 0 || product.Name.Length == 0 || product.ProductCodes.Count == 0)
            {
                throw new FormatException($"Statistics:Products: '{product.Code}' needs a Code, a Name and at least one of ProductCodes.");
            }
        }

        if (Products.GroupBy(p => p.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FormatException($"Statistics:Products: the code '{twice.Key}' is used twice.");
        }

        if (Products.SelectMany(p => p.ProductCodes.Select(c => (Code: c, p))).GroupBy(x => x.Code).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new FormatException($"Statistics:Products: the register product {shared.Key} is part of both {string.Join(" and ", shared.Select(x => x.p.Code))}.");
        }

        if (CarryForwardMonths is < 1 or > 11 || NotImputedAfterMonths is < 1 or > 12 || ProvinceRatioMinUnits < 1)
        {
            throw new FormatException("Statistics: CarryForwardMonths must be 1 to 11, NotImputedAfterMonths 1 to 12, and ProvinceRatioMinUnits at least 1.");
        }
    }
}
