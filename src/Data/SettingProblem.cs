using System.Globalization;

namespace BatchEngine.Data;

/// <summary>
/// The sentences a bad setting is refused with, naming its key, its value and what was expected; each options class
/// lists its own with these (a <c>Problems()</c> method), and the hosts refuse to start on the first.
/// </summary>
public static class SettingProblem
{
    public static string? Range(string key, long value, long min, long max) =>
        value >= min && value <= max ? null : $"{key} is {value}; it must be {min} to {max}.";

    public static string? AtLeast(string key, decimal value, decimal min) =>
        value >= min ? null : $"{key} is {value.ToString(CultureInfo.InvariantCulture)}; it must be at least {min.ToString(CultureInfo.InvariantCulture)}.";

    public static string? TimeOfDay(string key, string value) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? null
            : $"{key} is '{value}'; it must be a time of day HH:mm such as 09:00.";

    /// <summary>The problems found, the checks that passed (null) left out.</summary>
    public static IEnumerable<string> Found(params string?[] checks) => checks.OfType<string>();
}
