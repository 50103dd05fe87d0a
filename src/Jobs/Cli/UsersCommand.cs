using BatchEngine.Data;
using BatchEngine.Data.Register;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// <c>users add NAME --role admin|ministry-expert|provincial-expert [--province CODE] [--display-name TEXT] [--email ADDRESS]</c>:
/// creates an account with a one-time password, printed once and to be changed at the first sign-in. It is how a
/// production database gets its first admin (no account exists until then); the machine's operator runs it.
/// </summary>
internal static class UsersCommand
{
    private static readonly Dictionary<string, Role> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["admin"] = Role.Admin, ["ministry-expert"] = Role.MinistryExpert, ["provincial-expert"] = Role.ProvincialExpert,
    };

    public static async Task<int> RunAsync(CliArguments args, Database database, TimeProvider time, TextWriter output)
    {
        if (args.Positional is not ["add", var userName])
        {
            throw new UserErrorException("users needs add NAME (for example: batchengine users add it-admin --role admin).");
        }

        var roleText = args.RequiredOption("role", "admin");
        var role = Roles.TryGetValue(roleText, out var known)
            ? known
            : throw new UserErrorException($"--role must be admin, ministry-expert or provincial-expert, not '{roleText}' (liaisons come with the register's users file).");
        var province = args.Option("province");
        var displayName = args.Option("display-name") ?? userName;
        var email = args.Option("email");
        args.RejectUnknownOptions();
        if ((role == Role.ProvincialExpert) != (province is not null))
        {
            throw new UserErrorException(role == Role.ProvincialExpert
                ? "A provincial expert needs --province CODE."
                : "--province is for a provincial expert only.");
        }

        if (email is not null && !Notifications.EmailAddress.IsValid(email))
        {
            throw new UserErrorException($"--email '{email}' is not an e-mail address such as name@example.ir.");
        }

        if (province is not null && await new RegisterStore(database).FindProvinceAsync(province) is null)
        {
            throw new UserErrorException($"There is no province '{province}'.");
        }

        if (await new UserAccounts(database).FindAsync(userName) is not null)
        {
            throw new UserErrorException($"User {userName} already exists; an admin resets a password on the dashboard's users page.");
        }

        var outcome = await new RegisterWriter(database).UsersAsync(
            [new UserRecord(userName, displayName, role, province, null, email, null, null)], "command line", time.GetUtcNow().UtcDateTime);
        var (_, password) = outcome.Passwords.Single();
        output.WriteLine($"Created {roleText.ToLowerInvariant()} {userName}{(province is null ? "" : " of " + province)}.");
        output.WriteLine($"One-time password: {password} (shown once; to be changed at the first sign-in)");
        return 0;
    }
}
