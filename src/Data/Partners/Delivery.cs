using BatchEngine.Data.Calendar;
namespace BatchEngine.Data.Partners;

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One numbered batch to a partner: its data file and manifest, kept so that every attempt sends the same bytes.</summary>
public sealed class Delivery
{
    public long Id { get; init; }
    public required string Partner { get; init; }
    public int Sequence { get; init; }
    public DeliveryState State { get; init; }
    public DateTime CreatedAt { get; init => field = value.AsUtc(); }
    public int RowCount { get; init; }
    public required string Sha256 { get; init; }
    public required string DataFile { get; init; }
    public required string ManifestFile { get; init; }
    public required JalaliPeriod PeriodFrom { get; init; }
    public required JalaliPeriod PeriodTo { get; init; }
    public int Attempts { get; init; }
    public DateTime? NextAttemptAt { get; init => field = value?.AsUtc(); }
    public DateTime? DeliveredAt { get; init => field = value?.AsUtc(); }
    public string? LastError { get; init; }
}

public sealed class DeliveryAttempt
{
    public long Id { get; init; }
    public long DeliveryId { get; init; }
    public DateTime At { get; init => field = value.AsUtc(); }
    public bool Resend { get; init; }
    public bool Succeeded { get; init; }
    public string? Error { get; init; }

    /// <summary>Why it failed, in Persian (null for an attempt that succeeded, or was cut off before its outcome).</summary>
    public string? Problem { get; init; }
}

/// <summary>One registered figure of a return waiting for a partner, with what a receiver needs to read it.</summary>
public sealed class RegisteredLine
{
    public long ReturnId { get; init; }
    public int Version { get; init; }
    /// <summary>The partner had earlier figures of this return: these replace them.</summary>
    public bool Replaces { get; init; }
    public required string LicenceNo { get; init; }
    public required string UnitName { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Isic { get; init; }
    public required JalaliPeriod Period { get; init; }
    public required string ProductCode { get; init; }
    public required string ProductName { get; init; }
    public required string UnitOfMeasure { get; init; }
    public decimal Production { get; init; }
    public decimal? Sales { get; init; }
    public decimal? ExportQty { get; init; }
    public decimal? ExportValueUsd { get; init; }
    public int? Employees { get; init; }
    public DateTime RegisteredAt { get; init => field = value.AsUtc(); }
}

/// <summary>Which registered products a partner receives: the listed product codes and ISIC classes, or all when both lists are empty.</summary>
public sealed record PartnerFilter(IReadOnlyList<string> ProductCodes, IReadOnlyList<string> IsicCodes)
{
    public bool All => ProductCodes.Count == 0 && IsicCodes.Count == 0;
}

/// <summary>The files of a delivery as written to the archive, and what the manifest says of them.</summary>
public sealed record DeliveryFiles(string DataFile, string ManifestFile, string Sha256, int RowCount, JalaliPeriod PeriodFrom, JalaliPeriod PeriodTo);
