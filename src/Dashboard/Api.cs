using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Statistics;
using Microsoft.AspNetCore.Antiforgery;

namespace BatchEngine.Dashboard;

/// <summary>An action on several returns, as the API takes it.</summary>
public sealed record ApiAction(IReadOnlyList<ApiTarget> Targets, ReturnState To, string? Reason);

public sealed record ApiTarget(long Id, int Version);

/// <summary>
/// The JSON API under <c>/api</c>: the same queues and actions as the pages, with the same role and scope rules, for the
/// signed-in user's cookie; a change needs the anti-forgery token in the <c>RequestVerificationToken</c> header
/// (<c>GET /api/antiforgery</c> gives it).
/// </summary>
public static class Api
{
    public static void MapApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

        api.MapGet("/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
            Results.Json(new { token = antiforgery.GetAndStoreTokens(http).RequestToken }));

        api.MapGet("/queue", async (HttpContext http, Database database, EngineSettings settings, string? period, string? licence, string? isic, bool? late,
            OutlierDirection? outlier, int? page, int? pageSize) =>
        {
            var user = http.User;
            if (!user.IsInRole(Viewer.ProvincialExpert) && !user.IsInRole(Viewer.MinistryExpert))
            {
                return Results.Forbid();
            }

            JalaliPeriod? month = null;
            if (!string.IsNullOrWhiteSpace(period))
            {
                if (!JalaliPeriod.TryParse(period, out var read))
                {
                    return UnreadPeriod(period);
                }

                month = read;
            }

            var states = ReturnWorkflow.AwaitingReviewBy(user.Actor()!.Role);
            var queue = await new ReviewQueries(database, settings.Outliers).QueueAsync(
                new QueueFilter(states, user.ProvinceScope(), month, licence, isic, late, page ?? 1, pageSize ?? ListPage.DefaultSize, outlier));
            return Results.Json(new { queue.Total, queue.Page, queue.PageSize, queue.Pages, queue.Rows });
        });

        api.MapGet("/returns/{id:long}", async (long id, HttpContext http, Database database) =>
        {
            if (await new ReviewQueries(database).RowAsync(id) is not { } row || !http.User.Sees(row.UnitId, row.ProvinceCode))
            {
                return Results.Forbid();
            }

            var returns = new ReturnStore(database);
            return Results.Json(new { @return = row, lines = await returns.LinesAsync(id), history = await returns.HistoryAsync(id) });
        });

        api.MapPost("/returns/actions", async (ApiAction action, HttpContext http, IAntiforgery antiforgery, Review review, Database database) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest(new { error = "The anti-forgery token is missing or wrong (header RequestVerificationToken)." });
            }

            foreach (var target in action.Targets)
            {
                if (await new ReviewQueries(database).RowAsync(target.Id) is not { } row || !http.User.Sees(row.UnitId, row.ProvinceCode))
                {
                    return Results.Forbid();
                }
            }

            var error = await review.MoveAsync(http.User, action.Targets.Select(t => (t.Id, t.Version)).ToList(), action.To, action.Reason);
            return error is null ? Results.Ok(new { moved = action.Targets.Count }) : Results.Json(new { error }, statusCode: StatusCodes.Status409Conflict);
        });

        // The monthly table as `batchengine statistics --json` gives it; a provincial expert may ask for the country or their province.
        api.MapGet("/statistics", async (HttpContext http, Database database, StatisticsOptions options, string period, string? province, bool? provisional) =>
        {
            if (http.User.IsInRole(Viewer.Liaison) || (http.User.ProvinceScope() is { } own && province is not null && province != own))
            {
                return Results.Forbid();
            }

            if (!JalaliPeriod.TryParse(period, out var month) || await new Data.Periods.PeriodStore(database).FindAsync(month) is null)
            {
                return Results.Json(new { error = $"دورهٔ «{period}» در سامانه باز نشده است.", field = "period" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var table = (await MonthlyStatistics.LoadAsync(database, options, month, provisional ?? false)).Table(month);
            return Results.Json(StatisticsJson.Of(table, province));
        });

        api.MapGet("/compliance", async (HttpContext http, Database database, TimeProvider time, string period) =>
        {
            if (http.User.IsInRole(Viewer.Liaison))
            {
                return Results.Forbid();
            }

            return JalaliPeriod.TryParse(period, out var month)
                ? Results.Json(await new Compliance(database).ByProvinceAsync([month], http.User.ProvinceScope(), time.GetUtcNow().UtcDateTime))
                : UnreadPeriod(period);
        });
    }

    private static IResult UnreadPeriod(string period) => Results.Json(
        new { error = Persian.UnreadPeriod(period), field = "period" }, statusCode: StatusCodes.Status400BadRequest);
}
