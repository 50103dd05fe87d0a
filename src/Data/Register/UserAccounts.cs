using Dapper;
using Microsoft.AspNetCore.Identity;

namespace BatchEngine.Data.Register;

/// <summary>The outcome of a sign-in: the user, or nobody and until when the account is locked (if it is).</summary>
public sealed record SignInOutcome(User? User, DateTime? LockedUntil);

/// <summary>Users and their passwords; only a salted hash from ASP.NET Core Identity's hasher is ever stored.</summary>
public sealed class UserAccounts(Database database)
{
    private static readonly PasswordHasher<User> Hasher = new();

    public static string HashPassword(string password) => Hasher.HashPassword(null!, password);

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
                   unit_id AS UnitId, password_hash AS PasswordHash, email, mobile
            FROM users WHERE user_name = @userName
            """,
            new { userName });
    }

    /// <summary>The user when the password matches, otherwise null.</summary>
    public async Task<User?> VerifyAsync(string userName, string password)
    {
        var user = await FindAsync(userName);
        if (user is null)
        {
            return null;
        }

        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }

    /// <summary>
    /// A sign-in: the user when the password matches and the account is not locked. After
    /// <paramref name="maxFailures"/> failures in a row the account is locked for <paramref name="lockout"/>.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string userName, string password, DateTime now, int maxFailures, TimeSpan lockout)
    {
        await using var connection = await database.OpenAsync();
        var lockedUntil = await connection.QuerySingleOrDefaultAsync<DateTime?>(
            "SELECT locked_until FROM users WHERE user_name = @userName", new { userName });
        if (lockedUntil?.AsUtc() > now.AsUtc())
        {
            return new SignInOutcome(null, lockedUntil.Value.AsUtc());
        }

        var user = await VerifyAsync(userName, password);
        if (user is not null)
        {
            await connection.ExecuteAsync("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = @Id", new { user.Id });
            return new SignInOutcome(user, null);
        }

        await connection.ExecuteAsync(
            """
            UPDATE users SET failed_sign_ins = failed_sign_ins + 1,
                             locked_until = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN @until ELSE NULL END
            WHERE user_name = @userName
            """,
            new { userName, maxFailures, until = (now + lockout).AsUtc() });
        var locked = await connection.QuerySingleOrDefaultAsync<DateTime?>("SELECT locked_until FROM users WHERE user_name = @userName", new { userName });
        return new SignInOutcome(null, locked?.AsUtc());
    }
}
