using System.Data;
using BatchEngine.Data.Calendar;
using Dapper;

namespace BatchEngine.Data;

/// <summary>
/// How a <see cref="JalaliPeriod"/> is stored: its <c>YYYY-MM</c> text, which both stores order and compare as periods.
/// Registered with Dapper (process-wide) before any connection opens, so queries take and return periods, never their text.
/// </summary>
internal sealed class PeriodColumn : SqlMapper.TypeHandler<JalaliPeriod>
{
    /// <summary>A list of periods as one array parameter: PostgreSQL takes the array whole, so its items must be text already.</summary>
    public static string[] Texts(IEnumerable<JalaliPeriod> periods) => periods.Select(p => p.ToString()).ToArray();

    public override void SetValue(IDbDataParameter parameter, JalaliPeriod value)
    {
        parameter.DbType = DbType.String;
        parameter.Value = value.ToString();
    }

    public override JalaliPeriod Parse(object value) => JalaliPeriod.Parse((string)value);
}
