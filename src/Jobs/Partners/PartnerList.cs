using BatchEngine.Data;

namespace BatchEngine.Jobs.Partners;

/// <summary><c>Partners</c>: the partner agencies, each under a unique lower-case name with a valid daily time.</summary>
public sealed class PartnerList
{
    public List<PartnerOptions> Partners { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        for (var i = 0; i < Partners.Count; i++)
        {
            var partner = Partners[i];
            if (!System.Text.RegularExpressions.Regex.IsMatch(partner.Name, "^[a-z0-9][a-z0-9-]*$"))
            {
                yield return $"Partners:{i}:Name is '{partner.Name}'; it must be lower-case letters, digits and dashes (it names files and folders).";
            }

            if (SettingProblem.TimeOfDay($"Partners:{i}:DailyAt", partner.DailyAt) is { } time)
            {
                yield return time;
            }

            if (SettingProblem.Range($"Partners:{i}:RetryBaseSeconds", partner.RetryBaseSeconds, 1, 86_400) is { } retry)
            {
                yield return retry;
            }
        }

        if (Partners.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            yield return $"Partners: the name '{twice.Key}' is configured twice.";
        }
    }
}
