using System.Data.Common;
using System.Net.Sockets;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace BatchEngine.Jobs.Hosting;

/// <summary>
/// The hosts' console log: one line per event. A failure the engine expects and rides out — the database or a mail
/// server away for a while, a batch handed back for a retry — is written as its kind and message alone; anything else
/// keeps its stack trace. A minute without PostgreSQL is then a minute of short lines, not pages of stacks.
/// </summary>
public sealed class OutageLogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "engine";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var known = logEntry.Exception is { } exception ? Expected(exception) : null;
        // Some libraries put the whole exception, stack and all, into the message itself: its first line says enough.
        textWriter.Write($"{DateTimeOffset.UtcNow:O} {logEntry.LogLevel.ToString().ToLowerInvariant()} {logEntry.Category}: {(known is null ? message : message.Split('\n')[0].Trim())}");
        if (known is not null)
        {
            textWriter.Write($" ({known.GetType().Name}: {known.Message.Split('\n')[0].Trim()})");
        }
        else if (logEntry.Exception is { } unexpected)
        {
            textWriter.Write(Environment.NewLine + unexpected);
        }

        textWriter.WriteLine();
    }

    /// <summary>The exception in the chain that says this is a passing outage or a planned retry, if one does.</summary>
    private static Exception? Expected(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // The database clients' own refusals ("Connection is not open") come as InvalidOperationException: known by their source.
            if (e is DbException or SocketException or TimeoutException or RetryLaterException or DeliveryException || e.Source is "Npgsql")
            {
                return e;
            }
        }

        return null;
    }
}
