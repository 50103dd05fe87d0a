using System.Net.Http.Headers;
using System.Security.Cryptography;
using Renci.SshNet;

namespace BatchEngine.Jobs.Partners;

/// <summary>A file of a delivery: its name at the partner and where its archived bytes are.</summary>
public sealed record OutgoingFile(string Name, string Path);

/// <summary>Carries a delivery's files to a partner; the data file first, the manifest last, each appearing only when complete.</summary>
public interface IPartnerTransport
{
    /// <summary>Where the files go, for messages.</summary>
    string Destination { get; }

    Task SendAsync(PartnerOptions partner, int sequence, IReadOnlyList<OutgoingFile> files, CancellationToken cancellationToken);
}

/// <summary>The embedded default: a folder, written under a temporary name and renamed.</summary>
public sealed class FolderTransport(string folder) : IPartnerTransport
{
    public string Destination => folder;

    public Task SendAsync(PartnerOptions partner, int sequence, IReadOnlyList<OutgoingFile> files, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            var target = Path.Combine(folder, file.Name);
            File.Copy(file.Path, target + ".tmp", overwrite: true);
            File.Move(target + ".tmp", target, overwrite: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>SFTP (SSH.NET): the server must show the configured host key; files are uploaded as <c>.tmp</c> and renamed.</summary>
public sealed class SftpTransport(PartnerTransportOptions options) : IPartnerTransport
{
    public string Destination => $"sftp://{options.User}@{options.Host}:{options.Port}/{options.RemoteFolder}";

    public async Task SendAsync(PartnerOptions partner, int sequence, IReadOnlyList<OutgoingFile> files, CancellationToken cancellationToken)
    {
        var authentication = new List<AuthenticationMethod>();
        if (options.PrivateKeyFile is { Length: > 0 } keyFile)
        {
            authentication.Add(new PrivateKeyAuthenticationMethod(options.User, new PrivateKeyFile(keyFile)));
        }

        if (options.Password is { Length: > 0 } password)
        {
            authentication.Add(new PasswordAuthenticationMethod(options.User, password));
        }

        if (authentication.Count == 0)
        {
            throw new DeliveryRefusedException($"Partner {partner.Name}: SFTP needs Transport:PrivateKeyFile or Transport:Password.",
                "برای SFTP این دستگاه کلید یا گذرواژه‌ای پیکربندی نشده است (Transport:PrivateKeyFile یا Transport:Password)");
        }

        var connection = new ConnectionInfo(options.Host, options.Port, options.User, [.. authentication])
        {
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        using var client = new SftpClient(connection);
        string? offered = null;
        client.HostKeyReceived += (_, e) =>
        {
            offered = "SHA256:" + e.FingerPrintSHA256.TrimEnd('=');
            e.CanTrust = Normalize(options.HostKeySha256) is { } expected && expected == Normalize(offered);
        };
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (Renci.SshNet.Common.SshConnectionException) when (offered is not null && Normalize(options.HostKeySha256) != Normalize(offered))
        {
            throw options.HostKeySha256 is null
                ? new DeliveryRefusedException($"Partner {partner.Name}: Transport:HostKeySha256 is not set; the server at {options.Host}:{options.Port} offers {offered}.",
                    "اثر انگشت کلید سرور SFTP این دستگاه پیکربندی نشده است (Transport:HostKeySha256)؛ چیزی فرستاده نشد")
                : new DeliveryRefusedException($"Partner {partner.Name}: the server at {options.Host}:{options.Port} offers host key {offered}, not the configured {options.HostKeySha256}.",
                    "کلید سرور SFTP با اثر انگشت پیکربندی‌شده نمی‌خواند؛ چیزی فرستاده نشد (شاید سرور عوض شده یا اتصال رهگیری شده است)");
        }

        foreach (var file in files)
        {
            var target = options.RemoteFolder.TrimEnd('/') + "/" + file.Name;
            await using (var stream = File.OpenRead(file.Path))
            {
                await client.UploadFileAsync(stream, target + ".tmp", cancellationToken);
            }

            // The POSIX rename replaces a copy left by an earlier attempt whose acknowledgement was lost.
            await Task.Run(() => client.RenameFile(target + ".tmp", target, isPosix: true), cancellationToken);
        }

        client.Disconnect();
    }

    private static string? Normalize(string? fingerprint) =>
        fingerprint?.Trim().Replace("SHA256:", "", StringComparison.OrdinalIgnoreCase).TrimEnd('=');
}

/// <summary>HTTPS POST of one multipart request (manifest and data), with a bearer token; the sequence number is the idempotency key.</summary>
public sealed class HttpsTransport(PartnerTransportOptions options) : IPartnerTransport
{
    public string Destination => options.Url ?? "";

    public async Task SendAsync(PartnerOptions partner, int sequence, IReadOnlyList<OutgoingFile> files, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler();
        if (options.ServerCertificateSha256 is { Length: > 0 } pinned)
        {
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), pinned.Replace(":", "", StringComparison.Ordinal),
                    StringComparison.OrdinalIgnoreCase);
        }

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        using var content = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(file.Path, cancellationToken));
            part.Headers.ContentType = new MediaTypeHeaderValue(file.Name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/plain") { CharSet = "utf-8" };
            content.Add(part, file.Name.EndsWith(".manifest.json", StringComparison.Ordinal) ? "manifest" : "data", file.Name);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = content };
        if (options.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.Add("Idempotency-Key", $"{partner.Name}-{sequence}");
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{options.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
    }
}
