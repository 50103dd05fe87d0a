using BatchEngine.Data.Calendar;
namespace BatchEngine.Data.Returns;

/// <summary>One unit's statistics for one period, and where it stands in review.</summary>
public sealed class Return
{
    public long Id { get; init; }
    public long UnitId { get; init; }
    public required JalaliPeriod Period { get; init; }
    public ReturnState State { get; init; }

    /// <summary>Grows by one with every change; an action names the version it saw (optimistic check).</summary>
    public int Version { get; init; }

    public int? Employees { get; init; }
    public DateTime? SubmittedAt { get; init => field = value.AsUtc(); }
    public bool Late { get; init; }
    public DateTime UpdatedAt { get; init => field = value.AsUtc(); }
}

/// <summary>One product's figures in a return, in the product's unit of measure.</summary>
public sealed class ReturnLine
{
    public required string ProductCode { get; init; }
    public decimal Production { get; init; }
    public decimal? Sales { get; init; }
    public decimal? ExportQty { get; init; }
    public decimal? ExportValueUsd { get; init; }
}

/// <summary>What a liaison or an upload reports: employees at the end of the month and one line per product.</summary>
public sealed record ReturnFigures(int? Employees, IReadOnlyList<ReturnLine> Lines);

/// <summary>One step of a return's review, appended and never changed.</summary>
public sealed class ReturnHistoryEntry
{
    public long Id { get; init; }
    public long ReturnId { get; init; }
    public DateTime At { get; init => field = value.AsUtc(); }
    public required string Actor { get; init; }
    public ActorRole ActorRole { get; init; }
    public ReturnState? FromState { get; init; }
    public ReturnState ToState { get; init; }
    public string? Reason { get; init; }
    public int Version { get; init; }
}

/// <summary>Another person changed the return after the actor loaded it; nothing was applied.</summary>
public sealed class ChangedMeanwhileException(long returnId)
    : Exception($"Return {returnId} was changed meanwhile by someone else; reload it and try again.");
