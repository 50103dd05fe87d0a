using BatchEngine.Data.Calendar;
namespace BatchEngine.Data.Periods;

/// <summary>A reporting period that has opened: returns for it are accepted.</summary>
public sealed class OpenPeriod
{
    public required JalaliPeriod Code { get; init; }
    public DateTime OpensAt { get; init => field = value.AsUtc(); }

    /// <summary>The first instant after the (shifted) deadline.</summary>
    public DateTime LateFrom { get; init => field = value.AsUtc(); }

    public DateTime OpenedAt { get; init => field = value.AsUtc(); }
}
