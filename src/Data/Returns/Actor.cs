namespace BatchEngine.Data.Returns;

/// <summary>Who moves a return. ProvincialOffice is a provincial expert acting through a CSV upload.</summary>
public enum ActorRole
{
    Liaison,
    ProvincialOffice,
    ProvincialExpert,
    MinistryExpert,
}

/// <summary>The person acting, with the scope their role binds them to.</summary>
public sealed record Actor(string Name, ActorRole Role, string? ProvinceCode = null, long? UnitId = null)
{
    public static Actor Liaison(string name, long unitId) => new(name, ActorRole.Liaison, UnitId: unitId);
    public static Actor ProvincialExpert(string name, string provinceCode) => new(name, ActorRole.ProvincialExpert, provinceCode);
    public static Actor ProvincialOffice(string name, string provinceCode) => new(name, ActorRole.ProvincialOffice, provinceCode);
    public static Actor MinistryExpert(string name) => new(name, ActorRole.MinistryExpert);
}
