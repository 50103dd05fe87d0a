namespace BatchEngine.Dashboard;

/// <summary>What the shared pager shows under a paged list: which rows of how many, and links to the pages beside.</summary>
public sealed record Pager(int First, int Last, int Total, int Page, int Pages, Func<int, string> Link)
{
    public static Pager Of<T>(Data.ListPage<T> list, Func<int, string> link) => new(list.First, list.Last, list.Total, list.Page, list.Pages, link);
}
