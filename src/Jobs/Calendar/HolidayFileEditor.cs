using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchEngine.Data.Calendar;

namespace BatchEngine.Jobs.Calendar;

/// <summary>Why a holiday was not added.</summary>
public enum HolidayRefusal
{
    NoName,
    AlreadyListed,
}

public sealed class HolidayRefusedException(HolidayRefusal reason, string? existing) : Exception(reason.ToString())
{
    public HolidayRefusal Reason { get; } = reason;

    /// <summary>The name under which the day is already a holiday, for <see cref="HolidayRefusal.AlreadyListed"/>.</summary>
    public string? Existing { get; } = existing;
}

/// <summary>
/// Adds a dated holiday (an announced lunar holiday, a day the government closes offices) to the holiday file, with who
/// added it and when, keeping the file's comments and layout: the file stays the one place holidays live, and every
/// reader of the calendar (the step, the plan, the pages) sees the change the next time it looks.
/// </summary>
public static partial class HolidayFileEditor
{
    private static readonly JsonSerializerOptions Text = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Add(string path, JalaliDate date, string name, string addedBy, DateTimeOffset at)
    {
        name = name.Trim();
        if (name.Length == 0)
        {
            throw new HolidayRefusedException(HolidayRefusal.NoName, null);
        }

        using (Exclusive(path))
        {
            if (HolidayCalendar.Load(path).NameOf(date) is { } existing)
            {
                throw new HolidayRefusedException(HolidayRefusal.AlreadyListed, existing);
            }

            var entry = $"\n    {{ \"date\": \"{date}\", \"name\": {JsonSerializer.Serialize(name, Text)}, " +
                $"\"addedBy\": {JsonSerializer.Serialize(addedBy, Text)}, \"addedAt\": \"{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\" }},";
            var text = File.ReadAllText(path);
            var dated = DatedList().Match(text);
            if (!dated.Success)
            {
                throw new FormatException($"The holiday file {path} has no \"dated\" list to add to.");
            }

            // Written beside the file and read back before it replaces the file: a mistake never reaches the engine.
            var temporary = path + ".adding";
            File.WriteAllText(temporary, text.Insert(dated.Index + dated.Length, entry));
            _ = HolidayCalendar.Load(temporary);
            File.Move(temporary, path, overwrite: true);
        }
    }

    /// <summary>Holds the file's lock file open alone, so that the command line and the dashboards add one at a time.</summary>
    private static FileStream Exclusive(string path)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }

    [GeneratedRegex("\"dated\"\\s*:\\s*\\[")]
    private static partial Regex DatedList();
}
