namespace BatchEngine.Data.Register;

/// <summary>Someone who manages accounts: their user name (none for the command line), role and province.</summary>
public sealed record AccountManager(string? UserName, Role Role, string? ProvinceCode)
{
    /// <summary>The command line acts as the ministry (its operator holds the database, but not the admins' accounts).</summary>
    public static readonly AccountManager CommandLine = new(null, Role.MinistryExpert, null);
}

/// <summary>An account as the rule sees it: its role and the province it belongs to (an expert's own, a liaison's unit's).</summary>
public sealed record AccountScope(string UserName, Role Role, string? ProvinceCode, bool Disabled = false);

/// <summary>Why an account change was refused; rendered for people and for logs where it is shown.</summary>
public enum AccountRefusal
{
    /// <summary>The target account is of a role or province the manager does not manage.</summary>
    NotManaged,

    /// <summary>The change would give the account a role or province the manager does not manage.</summary>
    RoleNotManaged,

    /// <summary>Nobody changes their own role or province, nor disables themselves.</summary>
    Self,

    /// <summary>The last active admin cannot be disabled: nobody could manage the admins any more.</summary>
    LastAdmin,
}

/// <summary>
/// Who may create, change, disable, enable and reset the password of whom: the one rule behind the users page, the
/// users files (dashboard and command line) and password resets. An admin manages every account; the ministry manages
/// provincial experts and liaisons; a provincial expert manages the liaisons of their own province; a liaison nobody.
/// </summary>
public static class AccountAuthority
{
    public static bool Manages(AccountManager manager, Role role, string? province) => manager.Role switch
    {
        Role.Admin => true,
        Role.MinistryExpert => role is Role.Liaison or Role.ProvincialExpert,
        Role.ProvincialExpert => role == Role.Liaison && province is not null && province == manager.ProvinceCode,
        _ => false,
    };

    /// <summary>Why <paramref name="manager"/> may not make <paramref name="after"/> of <paramref name="before"/> (null: a new account); null when allowed.</summary>
    public static AccountRefusal? RefuseChange(AccountManager manager, AccountScope? before, AccountScope after)
    {
        if (before is not null && !Manages(manager, before.Role, before.ProvinceCode))
        {
            return AccountRefusal.NotManaged;
        }

        if (before is not null && before.UserName == manager.UserName && (before.Role != after.Role || before.ProvinceCode != after.ProvinceCode))
        {
            return AccountRefusal.Self;
        }

        return Manages(manager, after.Role, after.ProvinceCode) ? null : AccountRefusal.RoleNotManaged;
    }

    /// <summary>Why <paramref name="manager"/> may not disable or enable <paramref name="target"/>; null when allowed.</summary>
    public static AccountRefusal? RefuseDisable(AccountManager manager, AccountScope target, bool disable, int otherActiveAdmins)
    {
        if (target.UserName == manager.UserName)
        {
            return AccountRefusal.Self;
        }

        if (!Manages(manager, target.Role, target.ProvinceCode))
        {
            return AccountRefusal.NotManaged;
        }

        return disable && target.Role == Role.Admin && !target.Disabled && otherActiveAdmins == 0 ? AccountRefusal.LastAdmin : null;
    }

    /// <summary>Why <paramref name="manager"/> may not reset <paramref name="target"/>'s password (their own is changed on the password page); null when allowed.</summary>
    public static AccountRefusal? RefuseReset(AccountManager manager, AccountScope target) =>
        target.UserName == manager.UserName ? AccountRefusal.Self : Manages(manager, target.Role, target.ProvinceCode) ? null : AccountRefusal.NotManaged;

    public static string English(this AccountRefusal refusal) => refusal switch
    {
        AccountRefusal.NotManaged => "this account is not one you may change (its role or province is outside yours)",
        AccountRefusal.RoleNotManaged => "you may not give an account this role or province",
        AccountRefusal.Self => "nobody changes their own role or province or disables their own account",
        _ => "the last active admin cannot be disabled",
    };

    public static string Persian(this AccountRefusal refusal) => refusal switch
    {
        AccountRefusal.NotManaged => "این حساب در حوزهٔ شما نیست (نقش یا استان آن بیرون از اختیار شماست).",
        AccountRefusal.RoleNotManaged => "شما نمی‌توانید این نقش یا استان را به حسابی بدهید.",
        AccountRefusal.Self => "هیچ‌کس نقش یا استان خود را تغییر نمی‌دهد یا حساب خود را غیرفعال نمی‌کند.",
        _ => "آخرین مدیر فعال سامانه را نمی‌توان غیرفعال کرد.",
    };
}
