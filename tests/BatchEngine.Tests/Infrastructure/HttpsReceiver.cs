using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>One delivery request the receiver answered: its idempotency key, the data and manifest bytes, the answer.</summary>
public sealed record ReceivedDelivery(string? Key, string? Token, byte[] Data, byte[] Manifest, int Answered);

/// <summary>
/// A partner's HTTPS endpoint (Kestrel on a loopback port with a throwaway self-signed certificate). It can be told to
/// fail the next requests, or to hold them without answering.
/// </summary>
public sealed class HttpsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failures;

    public HttpsReceiver()
    {
        Port = PostgresServer.FreePort();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        CertificateSha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port, listen => listen.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/deliveries", async (HttpRequest http) =>
        {
            Interlocked.Increment(ref _started);
            if (Hold)
            {
                await Task.Delay(Timeout.Infinite, http.HttpContext.RequestAborted);
            }

            var form = await http.ReadFormAsync();
            var answer = Interlocked.Decrement(ref _failures) >= 0 ? (int)HttpStatusCode.ServiceUnavailable : (int)HttpStatusCode.Created;
            Received.Enqueue(new ReceivedDelivery(http.Headers["Idempotency-Key"], http.Headers.Authorization, await ReadAsync(form.Files["data"]),
                await ReadAsync(form.Files["manifest"]), answer));
            return Results.StatusCode(answer);
        });
        _app.StartAsync().GetAwaiter().GetResult();
    }

    private int _started;

    public int Port { get; }
    public string Url => $"https://127.0.0.1:{Port}/deliveries";
    public string CertificateSha256 { get; }
    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    /// <summary>Requests that have reached the endpoint, answered or not.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>While set, requests are held open and never answered.</summary>
    public bool Hold { get; set; }

    /// <summary>The next <paramref name="count"/> requests are answered 503.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failures, count);

    public IEnumerable<ReceivedDelivery> Accepted => Received.Where(r => r.Answered == (int)HttpStatusCode.Created);

    private static async Task<byte[]> ReadAsync(IFormFile? file)
    {
        if (file is null)
        {
            return [];
        }

        using var memory = new MemoryStream();
        await file.CopyToAsync(memory);
        return memory.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
