using Integrations.Sdk.State;
using Integrations.Sdk.Tests.State;

namespace Integrations.Sdk.PostgreSql.Tests;

// Each test gets its own test-class instance, hence its own empty schema, dropped afterwards.
public sealed class PostgreSqlStepMemoStoreTests : StepMemoStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override IStepMemoStore CreateStore() => _schema.Open();
}

public sealed class PostgreSqlCheckpointStoreTests : CheckpointStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override ICheckpointStore CreateStore() => _schema.Open();
}

public sealed class PostgreSqlDeadLetterStoreTests : DeadLetterStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override IDeadLetterStore CreateStore() => _schema.Open();
}

public sealed class PostgreSqlTokenStoreTests : TokenStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override ITokenStore CreateStore() => _schema.Open();
}

public sealed class PostgreSqlRunHistoryStoreTests : RunHistoryStoreContractTests, IAsyncLifetime
{
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override IRunHistoryStore CreateStore() => _schema.Open();
}

public sealed class PostgreSqlWebhookInboxTests : WebhookInboxContractTests, IAsyncLifetime
{
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    protected override IWebhookInbox CreateInbox() => _schema.Open();
}
