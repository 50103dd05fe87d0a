namespace BatchEngine.Data.Register;

/// <summary>Why a new password was refused.</summary>
public enum PasswordRefusal
{
    TooShort,
    TooLong,
    Common,
    IsTheUserName,
}

/// <summary>
/// What a password someone chooses must be (OWASP ASVS 5.0, 6.2): at least 8 characters, no composition rules, any
/// characters, at most 128, not one of the common passwords shipped with the product, not the user name.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 128;

    private static readonly HashSet<string> Common = LoadCommon();

    public static PasswordRefusal? Refuse(string password, string userName) =>
        password.Length < MinimumLength ? PasswordRefusal.TooShort
        : password.Length > MaximumLength ? PasswordRefusal.TooLong
        : Common.Contains(password) ? PasswordRefusal.Common
        : string.Equals(password, userName, StringComparison.OrdinalIgnoreCase) ? PasswordRefusal.IsTheUserName
        : null;

    public static string Persian(this PasswordRefusal refusal) => refusal switch
    {
        PasswordRefusal.TooShort => "گذرواژه تازه دست‌کم ۸ نویسه باشد.",
        PasswordRefusal.TooLong => "گذرواژه تازه بیش از ۱۲۸ نویسه نباشد.",
        PasswordRefusal.Common => "این گذرواژه از گذرواژه‌های رایج و حدس‌زدنی است؛ گذرواژهٔ دیگری برگزینید.",
        _ => "گذرواژه نباید همان نام کاربری باشد.",
    };

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("The list of common passwords is missing from the build.");
        using var reader = new StreamReader(stream);
        var list = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                list.Add(line.Trim());
            }
        }

        return list;
    }
}
