namespace BatchEngine.Tests.Infrastructure;

/// <summary>
/// The kinds of test, for <c>dotnet test --filter TestCategory=…</c>: <see cref="Rules"/> need no database, server or
/// process and run in seconds; <see cref="Store"/> use a database (SQLite and the run's PostgreSQL); <see cref="Process"/>
/// start hosts, programs or servers (SMTP, SFTP, HTTPS, SMS); <see cref="Browser"/> drive Chromium. Every fixture has
/// at least one (a test holds it).
/// </summary>
public static class Categories
{
    public const string Rules = "rules";
    public const string Store = "store";
    public const string Process = "process";
    public const string Browser = "browser";

    public static readonly string[] All = [Rules, Store, Process, Browser];
}
