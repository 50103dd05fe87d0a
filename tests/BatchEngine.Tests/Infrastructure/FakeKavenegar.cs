using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>One SMS the fake gateway accepted or refused.</summary>
public sealed record SmsRequest(string ApiKey, string Receptor, string Message, string? Sender, string? LocalId, int Answered);

/// <summary>
/// A local HTTP server speaking Kavenegar's send API on a loopback port (Kestrel). <see cref="Status"/> decides
/// each answer: 200 sends, anything else is returned in Kavenegar's JSON shape.
/// </summary>
public sealed class FakeKavenegar : IAsyncDisposable
{
    private readonly WebApplication _app;

    public FakeKavenegar()
    {
        Port = PostgresServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/{key}/sms/send.json", async (string key, HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var status = Status(form["receptor"].ToString());
            Requests.Enqueue(new SmsRequest(key, form["receptor"].ToString(), form["message"].ToString(), form["sender"], form["localid"], status));
            return Results.Json(new { @return = new { status, message = status == 200 ? "تایید شد" : "خطا" }, entries = Array.Empty<object>() },
                statusCode: status);
        });
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public ConcurrentQueue<SmsRequest> Requests { get; } = new();

    /// <summary>The status to answer for a receptor list; 200 by default.</summary>
    public Func<string, int> Status { get; set; } = _ => (int)HttpStatusCode.OK;

    public IEnumerable<SmsRequest> Accepted => Requests.Where(r => r.Answered == 200);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
