namespace BatchEngine.Dashboard;

/// <summary>What the shared pager shows under a paged list: which rows of how many, and links to the pages beside.</summary>
public sealed record Pager(int First, int Last, int Total, int Page, int Pages, Func<int, string> Link)
{
    public static Pager Of<T>(Data.ListPage<T> list, Func<int, string> link) => new(list.First, list.Last, list.Total, list.Page, list.Pages, link);

    /// <summary>The query of another page of a list, the filters given kept ("page" is the framework's own route value).</summary>
    public static string Query(int page, params (string Name, string? Value)[] filters) => Microsoft.AspNetCore.Http.QueryString.Create(
        filters.Append((Name: "pageNumber", Value: (string?)page.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Where(f => !string.IsNullOrEmpty(f.Value))
            .Select(f => new KeyValuePair<string, string?>(f.Name, f.Value))).ToUriComponent();
}
