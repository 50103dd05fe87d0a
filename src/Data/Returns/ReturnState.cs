namespace BatchEngine.Data.Returns;

/// <summary>The six steps of the service card, in the order a return normally passes them.</summary>
public enum ReturnState
{
    Draft,
    Submitted,
    ReturnedByProvince,
    ForwardedToMinistry,
    ReturnedByMinistry,
    Registered,
}
