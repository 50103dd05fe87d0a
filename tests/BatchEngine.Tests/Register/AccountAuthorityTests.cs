using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Register;

/// <summary>The rule of who may change whom, walked cell by cell against a table written out here.</summary>
[Category(Categories.Rules)]
public sealed class AccountAuthorityTests
{
    private static readonly Role[] Roles = Enum.GetValues<Role>();

    /// <summary>Who manages an account of (role, own province or another).</summary>
    private static bool Expected(Role manager, Role target, bool ownProvince) => (manager, target) switch
    {
        (Role.Admin, _) => true,
        (Role.MinistryExpert, Role.Liaison or Role.ProvincialExpert) => true,
        (Role.ProvincialExpert, Role.Liaison) => ownProvince,
        _ => false,
    };

    private static AccountManager Manager(Role role) => new("acting", role, role is Role.ProvincialExpert or Role.Liaison ? "tehran" : null);

    private static AccountScope Account(Role role, bool own, string name = "target") =>
        new(name, role, role is Role.ProvincialExpert or Role.Liaison ? (own ? "tehran" : "isfahan") : null);

    [Test]
    public void Every_manager_target_and_province_cell_creates_changes_disables_and_resets_as_the_table_says()
    {
        foreach (var manager in Roles)
        {
            foreach (var target in Roles)
            {
                foreach (var own in new[] { true, false })
                {
                    var allowed = Expected(manager, target, own);
                    var cell = $"{manager} → {target} ({(own ? "own" : "other")} province)";
                    Assert.That(AccountAuthority.RefuseChange(Manager(manager), null, Account(target, own)) is null, Is.EqualTo(allowed), "create " + cell);
                    Assert.That(AccountAuthority.RefuseChange(Manager(manager), Account(target, own), Account(target, own)) is null, Is.EqualTo(allowed), "update " + cell);
                    Assert.That(AccountAuthority.RefuseDisable(Manager(manager), Account(target, own), disable: true, otherActiveAdmins: 1) is null, Is.EqualTo(allowed), "disable " + cell);
                    Assert.That(AccountAuthority.RefuseReset(Manager(manager), Account(target, own)) is null, Is.EqualTo(allowed), "reset " + cell);
                    foreach (var to in Roles)
                    {
                        Assert.That(AccountAuthority.RefuseChange(Manager(manager), Account(target, own), Account(to, own)) is null,
                            Is.EqualTo(allowed && Expected(manager, to, own)), $"re-role {cell} to {to}");
                    }
                }
            }
        }
    }

    [Test]
    public void Nobody_changes_their_own_role_or_disables_themselves_and_the_last_admin_stays()
    {
        var admin = new AccountManager("admin", Role.Admin, null);
        var self = new AccountScope("admin", Role.Admin, null);
        Assert.That(AccountAuthority.RefuseChange(admin, self, self with { Role = Role.MinistryExpert }), Is.EqualTo(AccountRefusal.Self));
        Assert.That(AccountAuthority.RefuseChange(admin, self, self), Is.Null, "contact details of one's own account may change");
        Assert.That(AccountAuthority.RefuseDisable(admin, self, disable: true, otherActiveAdmins: 3), Is.EqualTo(AccountRefusal.Self));
        Assert.That(AccountAuthority.RefuseReset(admin, self), Is.EqualTo(AccountRefusal.Self));
        var other = new AccountScope("admin2", Role.Admin, null);
        Assert.That(AccountAuthority.RefuseDisable(admin, other, disable: true, otherActiveAdmins: 0), Is.EqualTo(AccountRefusal.LastAdmin));
        Assert.That(AccountAuthority.RefuseDisable(admin, other, disable: true, otherActiveAdmins: 1), Is.Null);
        Assert.That(AccountAuthority.RefuseDisable(admin, other with { Disabled = true }, disable: false, otherActiveAdmins: 0), Is.Null, "enabling is always possible");
    }

    [TestCase("short1", PasswordRefusal.TooShort)]
    [TestCase("password123", PasswordRefusal.Common)]
    [TestCase("PASSWORD123", PasswordRefusal.Common)]
    [TestCase("12345678", PasswordRefusal.Common)]
    [TestCase("tehran-liaison", PasswordRefusal.IsTheUserName)]
    [TestCase("zard-alu-1405", null)]
    [TestCase("گذرواژه‌ای فارسی و بلند", null)]
    [TestCase("        ", null)]
    public void New_passwords_follow_asvs_length_and_the_common_list_without_composition_rules(string password, PasswordRefusal? expected) =>
        Assert.That(PasswordPolicy.Refuse(password, "tehran-liaison"), Is.EqualTo(expected));

    [Test]
    public void A_password_longer_than_128_characters_is_refused() =>
        Assert.That(PasswordPolicy.Refuse(new string('x', 129), "u"), Is.EqualTo(PasswordRefusal.TooLong));
}
