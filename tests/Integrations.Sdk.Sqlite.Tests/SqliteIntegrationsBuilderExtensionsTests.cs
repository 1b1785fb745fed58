using Integrations.Sdk.State;
using Integrations.Sdk.State.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Sqlite.Tests;

public sealed class SqliteIntegrationsBuilderExtensionsTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static void AddInMemoryDefaults(IServiceCollection services)
    {
        services.TryAddSingleton<IStepMemoStore, InMemoryStepMemoStore>();
        services.TryAddSingleton<ICheckpointStore, InMemoryCheckpointStore>();
        services.TryAddSingleton<IDeadLetterStore, InMemoryDeadLetterStore>();
        services.TryAddSingleton<ITokenStore, InMemoryTokenStore>();
        services.TryAddSingleton<IRunHistoryStore, InMemoryRunHistoryStore>();
    }

    private static void ShouldAllResolveToOneSqliteStore(IServiceProvider provider)
    {
        var store = provider.GetRequiredService<SqliteStateStore>();
        provider.GetRequiredService<IStepMemoStore>().Should().BeSameAs(store);
        provider.GetRequiredService<ICheckpointStore>().Should().BeSameAs(store);
        provider.GetRequiredService<IDeadLetterStore>().Should().BeSameAs(store);
        provider.GetRequiredService<ITokenStore>().Should().BeSameAs(store);
        provider.GetRequiredService<IRunHistoryStore>().Should().BeSameAs(store);
    }

    [Fact]
    public async Task UseSqliteState_replaces_in_memory_defaults_registered_earlier()
    {
        var builder = new TestIntegrationsBuilder();
        AddInMemoryDefaults(builder.Services);

        builder.UseSqliteState(_database.Path).Should().BeSameAs(builder);

        await using var provider = builder.Services.BuildServiceProvider();
        ShouldAllResolveToOneSqliteStore(provider);
        builder.Services.Where(d => d.ServiceType == typeof(ITokenStore)).Should().ContainSingle();
        await provider.GetRequiredService<ICheckpointStore>().SetAsync("orders", "c");
        File.Exists(_database.Path).Should().BeTrue();
    }

    [Fact]
    public async Task UseSqliteState_wins_over_in_memory_defaults_registered_later()
    {
        var builder = new TestIntegrationsBuilder();

        builder.UseSqliteState(options => options.Path = _database.Path);
        AddInMemoryDefaults(builder.Services);

        await using var provider = builder.Services.BuildServiceProvider();
        ShouldAllResolveToOneSqliteStore(provider);
    }

    [Fact]
    public async Task Calling_UseSqliteState_again_keeps_one_store_using_the_last_file()
    {
        using var other = new SqliteTestDatabase();
        var builder = new TestIntegrationsBuilder();

        builder.UseSqliteState(other.Path).UseSqliteState(_database.Path);

        builder.Services.Where(d => d.ServiceType == typeof(SqliteStateStore)).Should().ContainSingle();
        await using var provider = builder.Services.BuildServiceProvider();
        ShouldAllResolveToOneSqliteStore(provider);
        await provider.GetRequiredService<ICheckpointStore>().SetAsync("orders", "c");
        File.Exists(_database.Path).Should().BeTrue();
        File.Exists(other.Path).Should().BeFalse();
    }

    [Fact]
    public async Task The_options_are_read_when_UseSqliteState_is_called()
    {
        using var other = new SqliteTestDatabase();
        var builder = new TestIntegrationsBuilder();
        SqliteStateOptions? captured = null;

        builder.UseSqliteState(options =>
        {
            options.Path = _database.Path;
            captured = options;
        });
        captured!.Path = other.Path;

        await using var provider = builder.Services.BuildServiceProvider();
        await provider.GetRequiredService<ICheckpointStore>().SetAsync("orders", "c");
        File.Exists(_database.Path).Should().BeTrue();
        File.Exists(other.Path).Should().BeFalse();
    }

    [Fact]
    public async Task Disposing_the_provider_disposes_the_store()
    {
        var builder = new TestIntegrationsBuilder();
        builder.UseSqliteState(_database.Path);
        var provider = builder.Services.BuildServiceProvider();
        var store = provider.GetRequiredService<ITokenStore>();
        _ = provider.GetRequiredService<ICheckpointStore>();

        await provider.DisposeAsync();

        await FluentActions.Awaiting(async () => await store.GetAsync("xero", "1")).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task UseSqliteState_ConfiguredTimeProvider_StampsTheBookkeepingColumnsWithIt()
    {
        var configured = new FakeTimeProvider(new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var host = new FakeTimeProvider(new DateTimeOffset(2029, 6, 7, 8, 9, 10, TimeSpan.Zero));
        var builder = new TestIntegrationsBuilder();
        builder.Services.AddSingleton<TimeProvider>(host);

        builder.UseSqliteState(options =>
        {
            options.Path = _database.Path;
            options.TimeProvider = configured;
        });

        await using var provider = builder.Services.BuildServiceProvider();
        await provider.GetRequiredService<ICheckpointStore>().SetAsync("orders", "c");
        CheckpointUpdatedAt().Should().Be(configured.GetUtcNow());
    }

    [Fact]
    public async Task UseSqliteState_NoTimeProviderConfigured_UsesTheHostClock()
    {
        var host = new FakeTimeProvider(new DateTimeOffset(2029, 6, 7, 8, 9, 10, TimeSpan.Zero));
        var builder = new TestIntegrationsBuilder();
        builder.Services.AddSingleton<TimeProvider>(host);

        builder.UseSqliteState(_database.Path);

        await using var provider = builder.Services.BuildServiceProvider();
        await provider.GetRequiredService<ICheckpointStore>().SetAsync("orders", "c");
        CheckpointUpdatedAt().Should().Be(host.GetUtcNow());
    }

    [Fact]
    public void Invalid_arguments_are_rejected_at_registration()
    {
        var builder = new TestIntegrationsBuilder();

        FluentActions.Invoking(() => ((IIntegrationsBuilder)null!).UseSqliteState("state.db"))
            .Should().Throw<ArgumentNullException>().WithParameterName("builder");
        FluentActions.Invoking(() => builder.UseSqliteState((string)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("path");
        FluentActions.Invoking(() => builder.UseSqliteState((Action<SqliteStateOptions>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("configure");
        FluentActions.Invoking(() => builder.UseSqliteState(" "))
            .Should().Throw<ArgumentException>().WithMessage("*Path*");
        FluentActions.Invoking(() => builder.UseSqliteState(_ => { }))
            .Should().Throw<ArgumentException>().WithMessage("*Path*ConnectionString*");
        builder.Services.Should().BeEmpty();
    }

    private DateTimeOffset CheckpointUpdatedAt()
    {
        using var connection = _database.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT updated_at FROM checkpoints WHERE sync = 'orders';";
        return DateTimeOffset.Parse((string)command.ExecuteScalar()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class TestIntegrationsBuilder : IIntegrationsBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
    }
}
