using System.Threading.RateLimiting;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace BatchEngine.Dashboard;

/// <summary>A unit's reporting status, as partner systems receive it.</summary>
public sealed record ReportingStatusAnswer(string Licence, string Status, JalaliPeriod? LastRegisteredPeriod, JalaliPeriod? LastReportedPeriod,
    IReadOnlyList<JalaliPeriod> MissingPeriods, bool PossiblyInactive, bool SuspensionCandidate, DateTimeOffset AsOf);

/// <summary>
/// The API for other agencies' systems (bank credit, fuel quotas, the business ID) under <c>/api/v1</c>: a unit's
/// reporting status, for a key an admin created (header <c>X-Api-Key</c> or <c>Authorization: Bearer</c>), scoped to it,
/// rate-limited per key (<c>Api:RequestsPerMinute</c>), every call recorded and logged with the key's name; described by
/// OpenAPI at <c>/api/v1/openapi.json</c>. Not the signed-in users' cookie: these callers are machines.
/// </summary>
public static class PartnerApi
{
    // The document is named for the version: its address is /api/{documentName}/openapi.json.
    public const string Document = "v1";
    private const string RateLimit = "api-keys";

    public static void AddPartnerApi(this WebApplicationBuilder builder, EngineSettings settings)
    {
        var perMinute = settings.Options<ApiOptions>().RequestsPerMinute;
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                PresentedKey(http) is { Length: >= 12 } key ? "key:" + key[..12] : "ip:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, token) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = "60";
                await RecordAsync(http, StatusCodes.Status429TooManyRequests);
                await http.Response.WriteAsJsonAsync(new { error = $"Too many requests: at most {perMinute} a minute per key." }, token);
            };
        });
        builder.Services.AddOpenApi(Document, openApi =>
        {
            openApi.ShouldInclude = description => description.GroupName == Document;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Monthly production statistics: reporting status for partner systems",
                    Version = "v1",
                    Description = "Whether an industrial unit's monthly statistics are up to date. Every call needs an API key created by the ministry's admin.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["apiKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key" },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] }];
                return Task.CompletedTask;
            });
        });
    }

    public static void MapPartnerApi(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapOpenApi("/api/{documentName}/openapi.json").AllowAnonymous().WithGroupName(Document).ExcludeFromDescription();
        app.MapGet("/api/v1/units/{licence}/reporting-status", async (string licence, HttpContext http, Database database, ReportingCalendar calendar,
                EngineSettings settings, TimeProvider time) =>
            {
                if (await AuthoriseAsync(http, ApiKeys.ReportingStatus) is { } refused)
                {
                    return refused;
                }

                var now = time.GetUtcNow();
                var today = calendar.Clock.DateOf(now);
                var window = calendar.LastClosedAt(new JalaliPeriod(today.Year, today.Month), now).LastPeriods(settings.SuspensionCandidateMisses);
                var status = await ReportingStatus.OfAsync(database, PersianText.Code(licence), window);
                await RecordAsync(http, status is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
                return status is null
                    ? Results.NotFound(new { error = $"No unit has the operating licence '{licence}'." })
                    : Results.Ok(new ReportingStatusAnswer(status.Licence, status.Status.ToString(), status.LastRegisteredPeriod, status.LastReportedPeriod,
                        status.MissingPeriods, status.PossiblyInactive, status.SuspensionCandidate, now));
            })
            .AllowAnonymous()
            .RequireRateLimiting(RateLimit)
            .WithGroupName(Document)
            .WithName("GetReportingStatus")
            .WithSummary("A unit's reporting status: last registered period, periods missing, possibly inactive, suspension candidate, as of when.")
            .Produces<ReportingStatusAnswer>()
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status429TooManyRequests);
    }

    private static string? PresentedKey(HttpContext http) =>
        http.Request.Headers["X-Api-Key"].FirstOrDefault()
        ?? (http.Request.Headers.Authorization.FirstOrDefault() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null);

    /// <summary>Null when the key may make the call; else the refusal, recorded.</summary>
    private static async Task<IResult?> AuthoriseAsync(HttpContext http, string scope)
    {
        var (check, key) = await http.RequestServices.GetRequiredService<ApiKeyCalls>().CheckAsync(http, PresentedKey(http), scope);
        if (check == KeyCheck.Valid)
        {
            return null;
        }

        var (status, error) = check switch
        {
            KeyCheck.Missing => (StatusCodes.Status401Unauthorized, "An API key is needed: send it in the X-Api-Key header."),
            KeyCheck.Revoked => (StatusCodes.Status401Unauthorized, "This API key was revoked."),
            KeyCheck.WrongScope => (StatusCodes.Status403Forbidden, $"This API key is not for this endpoint (its scope is '{key!.Scope}')."),
            _ => (StatusCodes.Status401Unauthorized, "This API key is not known."),
        };
        await RecordAsync(http, status);
        return Results.Json(new { error }, statusCode: status);
    }

    private static Task RecordAsync(HttpContext http, int status) => http.RequestServices.GetRequiredService<ApiKeyCalls>().RecordAsync(http, PresentedKey(http), status);
}

/// <summary>Checks keys and records every call with the key's name, in the database and the log.</summary>
public sealed class ApiKeyCalls(Database database, TimeProvider time, ILogger<ApiKeyCalls> logger)
{
    private const string Checked = "BatchEngine.ApiKey";

    public async Task<(KeyCheck Check, ApiKey? Key)> CheckAsync(HttpContext http, string? presented, string scope)
    {
        var result = await new ApiKeys(database).CheckAsync(presented, scope);
        http.Items[Checked] = result.Key;
        return result;
    }

    public async Task RecordAsync(HttpContext http, string? presented, int status)
    {
        var key = http.Items.TryGetValue(Checked, out var known) ? known as ApiKey : (await new ApiKeys(database).CheckAsync(presented, ApiKeys.ReportingStatus)).Key;
        await new ApiKeys(database).RecordCallAsync(key?.Id, http.Request.Path, status, time.GetUtcNow().UtcDateTime);
        logger.LogInformation("API call {Path} with key {KeyName}: {Status}", http.Request.Path.Value, key?.Name ?? "(none or unknown)", status);
    }
}
