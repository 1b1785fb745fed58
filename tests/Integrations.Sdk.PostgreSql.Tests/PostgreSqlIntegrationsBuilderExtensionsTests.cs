using Integrations.Sdk.State;
using Integrations.Sdk.State.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.PostgreSql.Tests;

public sealed class PostgreSqlIntegrationsBuilderExtensionsTests
{
    private const string ConnectionString = "Host=127.0.0.1;Username=app;Database=app";

    [Fact]
    public async Task UsePostgreSqlState_ReplacesTheInMemoryStoresAndTheInProcessLock()
    {
        var services = new ServiceCollection();
        services.AddIntegrations(i => i.UsePostgreSqlState(ConnectionString));

        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<PostgreSqlStateStore>();
        provider.GetRequiredService<IStepMemoStore>().Should().BeSameAs(store);
        provider.GetRequiredService<ICheckpointStore>().Should().BeSameAs(store);
        provider.GetRequiredService<IDeadLetterStore>().Should().BeSameAs(store);
        provider.GetRequiredService<ITokenStore>().Should().BeSameAs(store);
        provider.GetRequiredService<IRunHistoryStore>().Should().BeSameAs(store);
        provider.GetRequiredService<IWebhookInbox>().Should().BeSameAs(store);
        provider.GetRequiredService<IDistributedLock>().Should().BeSameAs(provider.GetRequiredService<PostgreSqlLock>())
            .And.Match<IDistributedLock>(l => l.SpansProcesses);
        services.Where(d => d.ServiceType == typeof(IDistributedLock)).Should().ContainSingle();
        services.Where(d => d.ServiceType == typeof(IWebhookInbox)).Should().ContainSingle();
        store.Schema.Should().Be("integrations");
    }

    [Fact]
    public async Task UseInMemoryState_AfterUsePostgreSqlState_GoesBackToInMemory()
    {
        var services = new ServiceCollection();
        services.AddIntegrations(i => i.UsePostgreSqlState(ConnectionString).UseInMemoryState());

        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IDistributedLock>().Should().BeOfType<InProcessLock>();
        provider.GetRequiredService<IWebhookInbox>().Should().BeOfType<InMemoryWebhookInbox>();
    }

    [Fact]
    public async Task The_options_are_read_when_UsePostgreSqlState_is_called()
    {
        var services = new ServiceCollection();
        PostgreSqlStateOptions? captured = null;
        services.AddIntegrations(i => i.UsePostgreSqlState(o =>
        {
            o.ConnectionString = ConnectionString;
            o.Schema = "tenant_a";
            captured = o;
        }));
        captured!.Schema = "tenant_b";

        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<PostgreSqlStateStore>().Schema.Should().Be("tenant_a");
    }

    [Fact]
    public async Task The_host_clock_is_used_unless_one_is_configured()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddIntegrations(i => i.UsePostgreSqlState(ConnectionString));

        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<PostgreSqlStateStore>().Should().NotBeNull();
    }

    [SkippableFact]
    public async Task UsePostgreSqlState_ConfiguredTimeProvider_WinsOverTheHostClock()
    {
        await using var schema = new PostgreSqlTestSchema();
        var configured = new FakeTimeProvider(new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var host = new FakeTimeProvider(new DateTimeOffset(2029, 6, 7, 8, 9, 10, TimeSpan.Zero));

        var updatedAt = await CheckpointUpdatedAtAsync(schema, host, schema.Options(configured));

        updatedAt.Should().Be(configured.GetUtcNow());
    }

    [SkippableFact]
    public async Task UsePostgreSqlState_NoTimeProviderConfigured_UsesTheHostClock()
    {
        await using var schema = new PostgreSqlTestSchema();
        var host = new FakeTimeProvider(new DateTimeOffset(2029, 6, 7, 8, 9, 10, TimeSpan.Zero));

        var updatedAt = await CheckpointUpdatedAtAsync(schema, host, schema.Options());

        updatedAt.Should().Be(host.GetUtcNow());
    }

    [Fact]
    public void Invalid_options_are_rejected_at_registration_naming_the_option()
    {
        var services = new ServiceCollection();
        var builder = services.AddIntegrations();
        var before = services.Count;

        FluentActions.Invoking(() => ((Sdk.IIntegrationsBuilder)null!).UsePostgreSqlState(ConnectionString))
            .Should().Throw<ArgumentNullException>().WithParameterName("builder");
        FluentActions.Invoking(() => builder.UsePostgreSqlState((string)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("connectionString");
        FluentActions.Invoking(() => builder.UsePostgreSqlState((Action<PostgreSqlStateOptions>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("configure");
        FluentActions.Invoking(() => builder.UsePostgreSqlState(" "))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.ConnectionString*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState(_ => { }))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.ConnectionString*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState("Host=db;Nonsense=1"))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.ConnectionString*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState("Username=app"))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.ConnectionString*Host*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState(o => (o.ConnectionString, o.Schema) = (ConnectionString, "bad-name")))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.Schema*bad-name*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState(o => (o.ConnectionString, o.Schema) = (ConnectionString, "pg_state")))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.Schema*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState(o => (o.ConnectionString, o.Schema) = (ConnectionString, new string('s', 64))))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.Schema*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState(o => (o.ConnectionString, o.LockCheckInterval) = (ConnectionString, TimeSpan.Zero)))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.LockCheckInterval*");
        FluentActions.Invoking(() => builder.UsePostgreSqlState(o => (o.ConnectionString, o.TimeProvider) = (ConnectionString, null!)))
            .Should().Throw<ArgumentException>().WithMessage("*PostgreSqlStateOptions.TimeProvider*");
        services.Count.Should().Be(before, "nothing is registered when the options are invalid");
    }

    [Fact]
    public void The_lock_connection_is_unpooled_and_kept_alive()
    {
        var settings = new PostgreSqlStateOptions { ConnectionString = ConnectionString, LockCheckInterval = TimeSpan.FromSeconds(3) }.Resolve();

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(settings.LockConnectionString);
        builder.Pooling.Should().BeFalse();
        builder.Multiplexing.Should().BeFalse();
        builder.KeepAlive.Should().Be(3);
        builder.TcpKeepAlive.Should().BeTrue();
        settings.QuotedSchema.Should().Be("\"integrations\"");
    }

    /// <summary>Registers the store with <paramref name="options"/> on a host with <paramref name="hostTime"/>, sets a checkpoint and reads its <c>updated_at</c>.</summary>
    private static async Task<DateTimeOffset> CheckpointUpdatedAtAsync(PostgreSqlTestSchema schema, TimeProvider hostTime, PostgreSqlStateOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton(hostTime);
        services.AddIntegrations(i => i.UsePostgreSqlState(o =>
            (o.ConnectionString, o.Schema, o.TimeProvider) = (options.ConnectionString, options.Schema, options.TimeProvider)));
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<ICheckpointStore>().SetAsync("orders", "c");
        }

        var updatedAt = await PostgreSqlTestServer.ScalarAsync($"SELECT updated_at FROM \"{schema.Name}\".checkpoints WHERE sync = 'orders';");
        return new DateTimeOffset((DateTime)updatedAt!);
    }
}
