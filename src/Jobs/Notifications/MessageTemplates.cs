using System.Text.RegularExpressions;
using MimeKit;

namespace BatchEngine.Jobs.Notifications;

/// <summary>A rendered message: a subject (e-mail only) and a body.</summary>
public sealed record RenderedMessage(string Subject, string Body);

/// <summary>
/// The Persian message templates in <c>config/templates/</c> (<c>{kind}.{channel}.txt</c>), read at each send so an
/// edit takes effect without recompiling or restarting. An e-mail template starts with a <c>Subject:</c> line.
/// </summary>
public sealed partial class MessageTemplates(string folder)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTime Written, string Text)> _cache = new();

    public RenderedMessage Render(string kind, string channel, IReadOnlyDictionary<string, string> values)
    {
        var path = Path.Combine(folder, $"{kind}.{channel}.txt");
        var text = Placeholder().Replace(Read(path), m =>
            values.TryGetValue(m.Groups[1].Value, out var value)
                ? value
                : throw new FormatException($"The template {path} uses {{{m.Groups[1].Value}}}, which is not one of: {string.Join(", ", values.Keys)}."));
        if (!text.StartsWith("Subject:", StringComparison.Ordinal))
        {
            return new RenderedMessage("", text.Trim());
        }

        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return new RenderedMessage(text[8..(end < 0 ? text.Length : end)].Trim(), end < 0 ? "" : text[end..].Trim());
    }

    /// <summary>The template's text, read again only when the file has changed since.</summary>
    private string Read(string path)
    {
        var written = File.GetLastWriteTimeUtc(path);
        if (written.Year < 1700)
        {
            throw new FileNotFoundException($"The message template {path} does not exist.");
        }

        if (_cache.TryGetValue(path, out var cached) && cached.Written == written)
        {
            return cached.Text;
        }

        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        _cache[path] = (written, text);
        return text;
    }

    /// <summary>A plain-text Persian e-mail with a Message-Id derived from the ledger row, so a receiver can tell a repeat.</summary>
    public static MimeMessage Email(string from, IEnumerable<string> to, RenderedMessage rendered, string messageId)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        message.Subject = rendered.Subject;
        message.MessageId = messageId;
        message.Body = new TextPart("plain") { Text = rendered.Body };
        return message;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
