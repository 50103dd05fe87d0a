using System.Globalization;
using System.Net;
using System.Text.Json;

namespace BatchEngine.Jobs.Notifications;

/// <summary>An SMS gateway: one message to one or more receptors (normalised <c>09…</c> numbers).</summary>
public interface ISmsGateway
{
    /// <summary>Sends; throws <see cref="DeliveryException"/> saying whether to retry.</summary>
    Task SendAsync(IReadOnlyList<string> receptors, string message, string reference, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded default: one line per message appended to a log file, under an exclusive lock of the file itself
/// (several processes may append at once: a worker and a <c>tick</c>), each line written whole and flushed to disk.
/// </summary>
public sealed class FileSmsGateway(string path) : ISmsGateway
{
    public async Task SendAsync(IReadOnlyList<string> receptors, string message, string reference, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:O}\t{reference}\t{string.Join(',', receptors)}\t{message.ReplaceLineEndings(" ⏎ ")}\n"));
        await using var log = await OpenExclusiveAsync(cancellationToken);
        await log.WriteAsync(line, cancellationToken);
        log.Flush(flushToDisk: true);
    }

    /// <summary>.NET takes an OS lock for FileShare.None; another process holding it makes the open fail, so wait and try again.</summary>
    private async Task<FileStream> OpenExclusiveAsync(CancellationToken cancellationToken)
    {
        for (var wait = 1; ; wait = Math.Min(wait * 2, 50))
        {
            try
            {
                return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
            }
            // EWOULDBLOCK from flock on Linux, a sharing violation on Windows; anything else (a full disk) is not ours to wait out.
            catch (IOException e) when (e.HResult is 11 or unchecked((int)0x80070020))
            {
                await Task.Delay(wait, cancellationToken);
            }
        }
    }
}

/// <summary>
/// Kavenegar's REST API (<c>POST /v1/{key}/sms/send.json</c> with <c>receptor</c>, <c>message</c>, <c>sender</c>).
/// Its status 200 is sent; 5xx and network failures are retried; any other status is given up. The key is part of
/// the URL, so no message from here ever contains the URL.
/// </summary>
public sealed class KavenegarSmsGateway(HttpClient http, KavenegarOptions options) : ISmsGateway
{
    public async Task SendAsync(IReadOnlyList<string> receptors, string message, string reference, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["receptor"] = string.Join(',', receptors),
            ["message"] = message,
            ["localid"] = reference,
        };
        if (!string.IsNullOrEmpty(options.Sender))
        {
            form["sender"] = options.Sender;
        }

        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(
                $"{options.BaseUrl.TrimEnd('/')}/v1/{Uri.EscapeDataString(options.ApiKey!)}/sms/send.json", new FormUrlEncodedContent(form), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException($"SMS gateway unreachable ({e.GetType().Name}).", retryable: true);
        }

        using (response)
        {
            var (status, text) = await ReadStatusAsync(response, cancellationToken);
            if (status == 200)
            {
                return;
            }

            throw new DeliveryException($"SMS gateway answered {status}: {text}", retryable: status >= 500);
        }
    }

    /// <summary>The status in Kavenegar's JSON body (<c>return.status</c>), else the HTTP status.</summary>
    private static async Task<(int Status, string Text)> ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            var result = json.RootElement.GetProperty("return");
            return (result.GetProperty("status").GetInt32(), result.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ((int)response.StatusCode, response.StatusCode == HttpStatusCode.OK ? "unreadable answer" : response.ReasonPhrase ?? "");
        }
    }
}
