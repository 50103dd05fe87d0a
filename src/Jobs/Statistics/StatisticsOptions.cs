using BatchEngine.Data;

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

    /// <summary>A catalogue that would count a register product twice or name a product without its parts is refused.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var product in Products.Where(p => p.Code.Length == 0 || p.Name.Length == 0 || p.ProductCodes.Count == 0))
        {
            yield return $"Statistics:Products: '{product.Code}' needs a Code, a Name and at least one of ProductCodes.";
        }

        if (Products.GroupBy(p => p.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            yield return $"Statistics:Products: the code '{twice.Key}' is used twice.";
        }

        if (Products.SelectMany(p => p.ProductCodes.Select(c => (Code: c, p))).GroupBy(x => x.Code).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            yield return $"Statistics:Products: the register product {shared.Key} is part of both {string.Join(" and ", shared.Select(x => x.p.Code))}.";
        }

        foreach (var problem in SettingProblem.Found(
                     SettingProblem.Range("Statistics:CarryForwardMonths", CarryForwardMonths, 1, 11),
                     SettingProblem.Range("Statistics:NotImputedAfterMonths", NotImputedAfterMonths, 1, 12),
                     SettingProblem.Range("Statistics:ProvinceRatioMinUnits", ProvinceRatioMinUnits, 1, 1000)))
        {
            yield return problem;
        }
    }
}
