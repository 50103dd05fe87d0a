namespace BatchEngine.Data.Register;

public enum Role
{
    Liaison,
    ProvincialExpert,
    MinistryExpert,
    Admin,
}

/// <summary>A person who signs in. A liaison is bound to a unit, a provincial expert to a province.</summary>
public sealed class User
{
    public long Id { get; init; }
    public required string UserName { get; init; }
    public required string DisplayName { get; init; }
    public Role Role { get; init; }
    public string? ProvinceCode { get; init; }
    public long? UnitId { get; init; }
    public string PasswordHash { get; init; } = "";
    public string? Email { get; init; }
    public string? Mobile { get; init; }

    /// <summary>The password is a first one someone else chose: it must be changed at the next sign-in.</summary>
    public bool MustChangePassword { get; init; }
    public bool Disabled { get; init; }

    /// <summary>Changes whenever the user's sessions must end (disabled, new password, new role or province, signed out).</summary>
    public string SecurityStamp { get; init; } = "";
}
