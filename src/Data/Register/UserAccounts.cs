using Dapper;
using Microsoft.AspNetCore.Identity;

namespace BatchEngine.Data.Register;

/// <summary>The outcome of a sign-in: the user, or nobody (and whether because the account, with the right password, is disabled).</summary>
public sealed record SignInOutcome(User? User, bool Disabled = false);

/// <summary>Users and their passwords; only a salted hash from ASP.NET Core Identity's hasher is ever stored.</summary>
public sealed class UserAccounts(Database database)
{
    private static readonly PasswordHasher<User> Hasher = new();

    public static string HashPassword(string password) => Hasher.HashPassword(null!, password);

    public static string NewStamp() => Guid.NewGuid().ToString("N");

    public async Task<long> CreateAsync(User user, string password)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO users (user_name, display_name, role, province_code, unit_id, password_hash, email, mobile)
            VALUES (@UserName, @DisplayName, @Role, @ProvinceCode, @UnitId, @hash, @Email, @Mobile)
            RETURNING id
            """,
            new { user.UserName, user.DisplayName, Role = user.Role.ToString(), user.ProvinceCode, user.UnitId, hash = HashPassword(password), user.Email, user.Mobile });
    }

    public async Task<User?> FindAsync(string userName)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<User>(
            """
            SELECT id, user_name AS UserName, display_name AS DisplayName, role, province_code AS ProvinceCode,
                   unit_id AS UnitId, password_hash AS PasswordHash, email, mobile, must_change_password AS MustChangePassword, disabled,
                   security_stamp AS SecurityStamp
            FROM users WHERE user_name = @userName
            """,
            new { userName });
    }

    /// <summary>
    /// The user when the password matches, otherwise null. An unknown name costs a password check too (against a hash
    /// of nothing), so that the time of the answer does not tell which names exist.
    /// </summary>
    public async Task<User?> VerifyAsync(string userName, string password)
    {
        var user = await FindAsync(userName);
        var matches = Hasher.VerifyHashedPassword(null!, user?.PasswordHash ?? NobodysHash, password) != PasswordVerificationResult.Failed;
        return matches ? user : null;
    }

    /// <summary>A sign-in: the user when the password matches; a disabled user is told so only after giving the right password.</summary>
    public async Task<SignInOutcome> SignInAsync(string userName, string password) =>
        await VerifyAsync(userName, password) is { } user ? new SignInOutcome(user.Disabled ? null : user, user.Disabled) : new SignInOutcome(null);

    /// <summary>What an unknown user name is checked against: the same work as a real account's hash.</summary>
    private static readonly string NobodysHash = HashPassword(Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Sets a new password after checking the current one; the first-password mark goes with it, and so does every
    /// session (the user's new stamp is returned for the one that made the change; null when the current password is wrong).
    /// </summary>
    public async Task<string?> ChangePasswordAsync(string userName, string current, string replacement)
    {
        if (await VerifyAsync(userName, current) is null)
        {
            return null;
        }

        var stamp = NewStamp();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE users SET password_hash = @hash, must_change_password = FALSE, security_stamp = @stamp WHERE user_name = @userName",
            new { userName, hash = HashPassword(replacement), stamp });
        return stamp;
    }

    /// <summary>
    /// A one-time password set by whoever manages the user (checked by the caller): shown once, to be changed at the
    /// next sign-in; every session of the user ends, and the history records who did it.
    /// </summary>
    public async Task<string> ResetPasswordAsync(string userName, string actor, DateTime now)
    {
        var password = RegisterWriter.FirstPassword();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE users SET password_hash = @hash, must_change_password = TRUE, security_stamp = @stamp WHERE user_name = @userName",
            new { userName, hash = HashPassword(password), stamp = NewStamp() }, transaction);
        await RegisterHistory.AppendAsync(connection, transaction, "User", userName, actor, "PasswordReset", null, null, now);
        await transaction.CommitAsync();
        return password;
    }

    /// <summary>Ends every session of the user (sign-out ends them all, not only the one in this browser).</summary>
    public async Task RevokeSessionsAsync(string userName)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE users SET security_stamp = @stamp WHERE user_name = @userName", new { userName, stamp = NewStamp() });
    }

    /// <summary>Whether a session issued with <paramref name="stamp"/> still stands: the user exists, is enabled and has that stamp.</summary>
    public async Task<bool> SessionStandsAsync(string userName, string stamp)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM users WHERE user_name = @userName AND security_stamp = @stamp AND disabled = FALSE", new { userName, stamp }) == 1;
    }

    /// <summary>Disables or enables a user (never deleted: the history names them), recording who and why.</summary>
    public async Task SetDisabledAsync(string userName, bool disabled, string actor, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("UPDATE users SET disabled = @disabled, security_stamp = @stamp WHERE user_name = @userName",
            new { userName, disabled, stamp = NewStamp() }, transaction);
        await RegisterHistory.AppendAsync(connection, transaction, "User", userName, actor, disabled ? "Disabled" : "Enabled", null, null, now);
        await transaction.CommitAsync();
    }

    /// <summary>The users of a province (its experts and its units' liaisons), or every user.</summary>
    public async Task<IReadOnlyList<User>> ListAsync(string? province)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<User>(
            """
            SELECT u.id, u.user_name AS UserName, u.display_name AS DisplayName, u.role, u.province_code AS ProvinceCode, u.unit_id AS UnitId,
                   u.email, u.mobile, u.must_change_password AS MustChangePassword, u.disabled
            FROM users u LEFT JOIN units un ON un.id = u.unit_id
            WHERE @province IS NULL OR u.province_code = @province OR un.province_code = @province
            ORDER BY u.user_name
            """,
            new { province })).AsList();
    }

    private const string ScopeQuery = """
        SELECT u.user_name AS UserName, u.role, COALESCE(u.province_code, un.province_code) AS ProvinceCode, u.disabled
        FROM users u LEFT JOIN units un ON un.id = u.unit_id
        """;

    /// <summary>Every account's role and province, for the rule of who may change whom (a users file is checked against all of them).</summary>
    public async Task<IReadOnlyDictionary<string, AccountScope>> ScopesAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<ScopeRow>(ScopeQuery)).Select(r => r.Scope).ToDictionary(a => a.UserName);
    }

    public async Task<AccountScope?> ScopeAsync(string userName)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<ScopeRow>(ScopeQuery + " WHERE u.user_name = @userName", new { userName }))?.Scope;
    }

    /// <summary>A row of <see cref="ScopeQuery"/>: Dapper converts the stores' column types into properties, not into a record's constructor.</summary>
    private sealed class ScopeRow
    {
        public string UserName { get; init; } = "";
        public Role Role { get; init; }
        public string? ProvinceCode { get; init; }
        public bool Disabled { get; init; }
        public AccountScope Scope => new(UserName, Role, ProvinceCode, Disabled);
    }

    /// <summary>Active admins other than <paramref name="userName"/>: the last one may not be disabled.</summary>
    public async Task<int> OtherActiveAdminsAsync(string userName)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM users WHERE role = @role AND disabled = FALSE AND user_name <> @userName", new { role = nameof(Role.Admin), userName });
    }
}
