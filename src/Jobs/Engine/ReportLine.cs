namespace BatchEngine.Jobs.Engine;

/// <summary>
/// One line of what the engine did, said once in English (the log, the command line, the run's record) and once in
/// Persian (the admin's schedule page).
/// </summary>
public sealed record ReportLine(string English, string Persian)
{
    public override string ToString() => English;
}
