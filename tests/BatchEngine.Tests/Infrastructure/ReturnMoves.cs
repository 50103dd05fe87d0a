using BatchEngine.Data.Returns;

namespace BatchEngine.Tests.Infrastructure;

public static class ReturnMoves
{
    /// <summary>One return's move, as the product makes it for the months concerned together.</summary>
    public static async Task<Return> TransitionAsync(this ReturnStore returns, long returnId, int expectedVersion, ReturnState to, Actor actor,
        string? reason, DateTime now) =>
        (await returns.TransitionManyAsync([(returnId, expectedVersion)], to, actor, reason, now))[0];
}
