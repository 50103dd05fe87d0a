namespace BatchEngine.Data.Notifications;

public enum Channel
{
    Email,
    Sms,
}

/// <summary>Where a ledger row stands. Sending is a claim that expires, so a killed sender's rows are taken up again.</summary>
public enum DeliveryStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
    Invalid,
    Skipped,
}
