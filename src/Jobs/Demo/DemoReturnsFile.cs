using System.Globalization;

namespace BatchEngine.Jobs.Demo;

/// <summary>A unit as a returns file names it: its licence number and its registered products.</summary>
public sealed record FileUnit(string LicenceNo, IReadOnlyList<string> Products);

/// <summary>
/// Writes a returns CSV as a provincial office would upload it: one row per unit, period and product, with the
/// mistakes offices make in a share of the rows. For the demo, the benchmark and the tests.
/// </summary>
public static class DemoReturnsFile
{
    public const string Header = "unit_id,period,product_code,production,sales,export_qty,export_value_usd,employees";

    /// <summary>Writes the rows and returns how many there are.</summary>
    /// <param name="errorShare">The share of rows (0 to 1) that carry one mistake each.</param>
    public static int Write(TextWriter writer, IEnumerable<FileUnit> units, IReadOnlyList<string> periods, double errorShare, int seed)
    {
        var random = new Random(seed);
        writer.Write(Header);
        writer.Write('\n');
        var rows = 0;
        foreach (var unit in units)
        {
            var employees = random.Next(15, 900);
            var scale = Math.Exp(random.NextDouble() * 3);
            foreach (var period in periods)
            {
                foreach (var product in unit.Products)
                {
                    var production = Math.Round((decimal)(scale * (50 + random.NextDouble() * 100)), 1);
                    var sales = Math.Round(production * (decimal)(0.6 + random.NextDouble() * 0.35), 1);
                    var exported = random.NextDouble() < 0.2 ? Math.Round(production - sales, 1) : 0m;
                    var fields = new[]
                    {
                        unit.LicenceNo, period, product, Text(production), Text(sales), Text(exported), Text(exported * 310m),
                        employees.ToString(CultureInfo.InvariantCulture),
                    };
                    if (random.NextDouble() < errorShare)
                    {
                        var (column, wrong) = random.Next(4) switch
                        {
                            0 => (3, "-" + fields[3]),
                            1 => (3, fields[3] + "x"),
                            2 => (2, "9999-99"),
                            _ => (1, "1404-13"),
                        };
                        fields[column] = wrong;
                    }

                    writer.Write(string.Join(',', fields));
                    writer.Write('\n');
                    rows++;
                }
            }
        }

        return rows;
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
