namespace Integrations.Sdk.Sqlite.Tests;

public sealed class SqliteStateOptionsTests
{
    [Fact]
    public void A_null_path_or_options_is_rejected()
    {
        FluentActions.Invoking(() => new SqliteStateStore((string)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("path");
        FluentActions.Invoking(() => new SqliteStateStore((SqliteStateOptions)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(":memory:")]
    [InlineData("bad\0path.db")]
    public void An_unusable_path_is_rejected(string path)
    {
        FluentActions.Invoking(() => new SqliteStateStore(path))
            .Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*Path*");
    }

    [Fact]
    public void Exactly_one_of_path_and_connection_string_is_required()
    {
        FluentActions.Invoking(() => new SqliteStateStore(new SqliteStateOptions()))
            .Should().Throw<ArgumentException>().WithMessage("*Path*ConnectionString*");
        FluentActions.Invoking(() => new SqliteStateStore(new SqliteStateOptions { Path = "a.db", ConnectionString = "Data Source=b.db" }))
            .Should().Throw<ArgumentException>().WithMessage("*only one*");
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=state;Mode=Memory;Cache=Shared")]
    [InlineData("Mode=ReadWriteCreate")]
    [InlineData("Data Source=state.db;Mode=ReadOnly")]
    [InlineData("Data Source=state.db;NoSuchKeyword=1")]
    public void An_unusable_connection_string_is_rejected(string connectionString)
    {
        FluentActions.Invoking(() => new SqliteStateStore(new SqliteStateOptions { ConnectionString = connectionString }))
            .Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*ConnectionString*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_busy_timeout_that_is_not_positive_is_rejected(int milliseconds)
    {
        var options = new SqliteStateOptions { Path = "state.db", BusyTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        FluentActions.Invoking(() => new SqliteStateStore(options))
            .Should().Throw<ArgumentException>().WithMessage("*BusyTimeout*");
    }

    [Fact]
    public void A_path_becomes_an_absolute_pooled_read_write_connection_string()
    {
        var settings = new SqliteStateOptions { Path = "integrations.db", BusyTimeout = TimeSpan.FromSeconds(2.5) }.Resolve();

        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(settings.ConnectionString);
        builder.DataSource.Should().Be(Path.Combine(Environment.CurrentDirectory, "integrations.db"));
        builder.Pooling.Should().BeTrue();
        builder.Mode.Should().Be(Microsoft.Data.Sqlite.SqliteOpenMode.ReadWriteCreate);
        settings.BusyTimeoutMs.Should().Be(2500);
        settings.Directory.Should().Be(Environment.CurrentDirectory);
    }
}
