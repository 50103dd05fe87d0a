using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>A browser-like client of the dashboard host: keeps cookies, does not follow redirects, signs in with the form.</summary>
public static partial class DashboardClient
{
    public const string Password = "demo1404";

    public static HttpClient Create(DashboardFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password = Password, bool withToken = true)
    {
        var form = new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password };
        if (withToken)
        {
            form["__RequestVerificationToken"] = await TokenAsync(client, "/signin");
        }

        return await client.PostAsync("/signin", new FormUrlEncodedContent(form));
    }

    /// <summary>A client already signed in as <paramref name="user"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(DashboardFactory factory, string user)
    {
        var client = Create(factory);
        var response = await SignInAsync(client, user);
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Redirect), $"{user} signs in");
        return client;
    }

    /// <summary>The anti-forgery token of the form on <paramref name="path"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path) =>
        Token().Match(await client.GetStringAsync(path)).Groups[1].Value;

    /// <summary>Posts a form of the page with its anti-forgery token (or without, to prove it is needed).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> form, string? tokenFrom = null, bool withToken = true)
    {
        if (withToken)
        {
            form["__RequestVerificationToken"] = await TokenAsync(client, tokenFrom ?? path);
        }

        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
