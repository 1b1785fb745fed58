using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Integrations.Sdk.PostgreSql;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> exactly in three columns: <c>x</c> (<c>timestamptz</c>, the instant to the
/// microsecond, PostgreSQL's resolution), <c>x_100ns</c> (the remaining 100-nanosecond ticks, 0 to 9) and
/// <c>x_offset</c> (the writer's offset from UTC in minutes). Rows are ordered by <c>(x, x_100ns)</c>.
/// </summary>
internal static class PostgreSqlTimestamps
{
    /// <summary>How many columns one timestamp takes.</summary>
    internal const int Columns = 3;

    /// <summary>Adds the parameters <c>@{name}</c>, <c>@{name}_100ns</c> and <c>@{name}_offset</c>.</summary>
    internal static void Add(NpgsqlParameterCollection parameters, string name, DateTimeOffset value)
    {
        var utcTicks = value.UtcTicks;
        var remainder = utcTicks % TimeSpan.TicksPerMicrosecond;
        parameters.Add(new NpgsqlParameter<DateTime>(name, NpgsqlDbType.TimestampTz) { TypedValue = new DateTime(utcTicks - remainder, DateTimeKind.Utc) });
        parameters.Add(new NpgsqlParameter<short>(name + "_100ns", NpgsqlDbType.Smallint) { TypedValue = (short)remainder });
        parameters.Add(new NpgsqlParameter<short>(name + "_offset", NpgsqlDbType.Smallint) { TypedValue = (short)value.TotalOffsetMinutes });
    }

    /// <summary>Adds the three parameters of <see cref="Add"/>, all <c>NULL</c> when <paramref name="value"/> is.</summary>
    internal static void AddNullable(NpgsqlParameterCollection parameters, string name, DateTimeOffset? value)
    {
        if (value is { } present)
        {
            Add(parameters, name, present);
            return;
        }

        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = DBNull.Value });
        parameters.Add(new NpgsqlParameter(name + "_100ns", NpgsqlDbType.Smallint) { Value = DBNull.Value });
        parameters.Add(new NpgsqlParameter(name + "_offset", NpgsqlDbType.Smallint) { Value = DBNull.Value });
    }

    /// <summary>Adds a plain <c>timestamptz</c> parameter (bookkeeping columns, microsecond resolution is enough).</summary>
    internal static void AddInstant(NpgsqlParameterCollection parameters, string name, DateTimeOffset value) =>
        parameters.Add(new NpgsqlParameter<DateTime>(name, NpgsqlDbType.TimestampTz) { TypedValue = value.UtcDateTime });

    /// <summary>Reads the three columns starting at <paramref name="ordinal"/>.</summary>
    internal static DateTimeOffset Read(DbDataReader reader, int ordinal)
    {
        var utc = reader.GetFieldValue<DateTime>(ordinal);
        var ticks = utc.Ticks + reader.GetInt16(ordinal + 1);
        var offset = TimeSpan.FromMinutes(reader.GetInt16(ordinal + 2));
        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
    }
}
