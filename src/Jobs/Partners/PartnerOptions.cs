using BatchEngine.Data.Partners;

namespace BatchEngine.Jobs.Partners;

public enum DeliveryFormat
{
    Csv,
    JsonLines,
    SdmxCsv,
}

public enum TransportKind
{
    Folder,
    Sftp,
    Https,
}

/// <summary>A partner agency as configured in <c>config/batchengine.json</c> under <c>Partners</c>.</summary>
public sealed class PartnerOptions
{
    /// <summary>A short code (file names, keys, the command line): <c>customs</c>, <c>ime</c>, <c>niopdc</c>, <c>hamahang</c>.</summary>
    public string Name { get; set; } = "";
    public string Title { get; set; } = "";
    public DeliveryFormat Format { get; set; } = DeliveryFormat.Csv;

    /// <summary>The figures sent, of <c>production</c>, <c>sales</c>, <c>export_qty</c>, <c>export_value_usd</c>, <c>employees</c>.</summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>Product codes received; with <see cref="Isic"/> empty as well, every product.</summary>
    public List<string> Products { get; set; } = [];
    public List<string> Isic { get; set; } = [];

    /// <summary>Tehran time of the daily delivery, <c>HH:mm</c>.</summary>
    public string DailyAt { get; set; } = "02:00";

    public PartnerTransportOptions Transport { get; set; } = new();
    public SdmxOptions Sdmx { get; set; } = new();

    /// <summary>The first retry of a failed transfer waits this long, each next one twice as long, at most an hour.</summary>
    public int RetryBaseSeconds { get; set; } = 60;

    /// <summary>Whether the partner also receives each publication of the monthly statistics (as SDMX-CSV), in its numbered deliveries.</summary>
    public bool Statistics { get; set; }

    public PartnerFilter Filter => new(Products, Isic);
}

public sealed class PartnerTransportOptions
{
    public TransportKind Kind { get; set; } = TransportKind.Folder;

    /// <summary>Folder transport: where files go; default <c>data/outbound/&lt;partner&gt;</c>.</summary>
    public string? Folder { get; set; }

    public string Host { get; set; } = "";
    public int Port { get; set; } = 22;
    public string User { get; set; } = "";
    public string? Password { get; set; }
    public string? PrivateKeyFile { get; set; }

    /// <summary>The SFTP server's host key fingerprint as <c>ssh-keygen -lf</c> prints it (<c>SHA256:…</c>); required.</summary>
    public string? HostKeySha256 { get; set; }

    public string RemoteFolder { get; set; } = ".";

    public string? Url { get; set; }
    public string? Token { get; set; }

    /// <summary>HTTPS: accept this certificate (SHA-256 of it, hex) instead of the system's trust, for a partner's private CA.</summary>
    public string? ServerCertificateSha256 { get; set; }

    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>How our fields map to an SDMX dataflow's dimensions and measures.</summary>
public sealed class SdmxOptions
{
    public string Structure { get; set; } = "dataflow";
    public string StructureId { get; set; } = "IR_MIMT:DF_INDUSTRIAL_PRODUCTION(1.0)";

    /// <summary>
    /// Dimension id → our field (<c>province</c>, <c>isic</c>, <c>licence_no</c>, <c>product_code</c>, <c>unit_of_measure</c>), in
    /// order; empty means <see cref="DefaultDimensions"/>.
    /// </summary>
    public Dictionary<string, string> Dimensions { get; set; } = [];

    /// <summary>Measure id → our field; empty means <see cref="DefaultMeasures"/>. The partner's <c>Fields</c> choose which are sent.</summary>
    public Dictionary<string, string> Measures { get; set; } = [];

    // Defaults are applied after binding: the configuration binder would merge configured keys into prefilled ones.
    public static readonly IReadOnlyDictionary<string, string> DefaultDimensions = new Dictionary<string, string>
    {
        ["REF_AREA"] = "province", ["ACTIVITY"] = "isic", ["REPORTING_UNIT"] = "licence_no", ["PRODUCT"] = "product_code",
    };

    public static readonly IReadOnlyDictionary<string, string> DefaultMeasures = new Dictionary<string, string>
    {
        ["PRODUCTION"] = "production", ["SALES"] = "sales", ["EXPORT_QTY"] = "export_qty", ["EXPORT_VALUE_USD"] = "export_value_usd",
        ["EMPLOYEES"] = "employees",
    };

    /// <summary><c>GregorianRange</c>: the Jalali month as an SDMX time range (<c>2025-09-23/P30D</c>); <c>Code</c>: <c>1404-07</c>.</summary>
    public string PeriodFormat { get; set; } = "GregorianRange";
}
