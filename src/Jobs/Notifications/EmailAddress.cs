using System.Text.RegularExpressions;
using MimeKit;

namespace BatchEngine.Jobs.Notifications;

/// <summary>
/// What a valid e-mail address is, and its only home: a plain address with a dotted domain that the sender's own
/// parser (MimeKit, which builds every message) reads back as exactly that address. The register, the command line
/// and the sender agree by construction: an address the register takes is one the sender can address.
/// </summary>
public static partial class EmailAddress
{
    public static bool IsValid(string text) =>
        Plain().IsMatch(text) && MailboxAddress.TryParse(ParserOptions.Default, text, out var mailbox) && mailbox.Address == text && string.IsNullOrEmpty(mailbox.Name);

    [GeneratedRegex(@"^[^@\s""<>(),;:\\\[\]]+@[^@\s""<>(),;:\\\[\]]+\.[^@\s""<>(),;:\\\[\].]+$")]
    private static partial Regex Plain();
}
