using System.Security.Claims;
using BatchEngine.Data;
using BatchEngine.Data.Returns;

namespace BatchEngine.Dashboard;

/// <summary>The experts' actions on returns, shared by the pages and the API: all or none, in the viewer's scope.</summary>
public sealed class Review(Database database, TimeProvider time)
{
    /// <summary>Moves every target (at the version the viewer saw) to <paramref name="to"/>; null when done, else why not, in Persian.</summary>
    public async Task<string?> MoveAsync(ClaimsPrincipal user, IReadOnlyList<(long ReturnId, int Version)> targets, ReturnState to, string? reason)
    {
        if (user.Actor() is not { } actor || actor.Role == ActorRole.Liaison)
        {
            return "این اقدام از نقش شما ساخته نیست.";
        }

        if (targets.Count == 0)
        {
            return "هیچ اظهارنامه‌ای انتخاب نشده است.";
        }

        try
        {
            await new ReturnStore(database).TransitionManyAsync(targets, to, actor, string.IsNullOrWhiteSpace(reason) ? null : reason, time.GetUtcNow().UtcDateTime);
            return null;
        }
        catch (ChangedMeanwhileException)
        {
            return "دست‌کم یکی از اظهارنامه‌ها در این فاصله تغییر کرده است؛ هیچ‌کدام تغییر نکرد. فهرست را دوباره باز کنید.";
        }
        catch (WorkflowException e)
        {
            return "انجام نشد؛ هیچ‌کدام تغییر نکرد. " + e.Persian;
        }
    }

    /// <summary>The actions a viewer may take on a return in this state, with their Persian names.</summary>
    public static IReadOnlyList<(ReturnState To, string Label, bool NeedsReason)> Actions(ClaimsPrincipal user, ReturnState from)
    {
        if (user.Actor() is not { } actor || actor.Role == ActorRole.Liaison)
        {
            return [];
        }

        return ReturnWorkflow.NextStates(from, actor.Role)
            .Select(to => (to, Label(from, to), ReturnWorkflow.ReasonRequired(from, to)))
            .ToList();
    }

    public static string Label(ReturnState from, ReturnState to) => (from, to) switch
    {
        (_, ReturnState.ForwardedToMinistry) => "تأیید و ارجاع به وزارت",
        (_, ReturnState.ReturnedByProvince) => "برگشت به رابط واحد",
        (ReturnState.Registered, ReturnState.ReturnedByMinistry) => "بازگشایی برای اصلاح",
        (_, ReturnState.ReturnedByMinistry) => "برگشت به استان",
        (_, ReturnState.Registered) => "ثبت نهایی",
        _ => Labels.State(to),
    };
}
