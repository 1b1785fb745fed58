using Integrations.Sdk.State;
using Integrations.Sdk.Tests.State;

namespace Integrations.Sdk.Sqlite.Tests;

public sealed class SqliteStepMemoStoreTests : StepMemoStoreContractTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override IStepMemoStore CreateStore() => _database.Open();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteCheckpointStoreTests : CheckpointStoreContractTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override ICheckpointStore CreateStore() => _database.Open();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteDeadLetterStoreTests : DeadLetterStoreContractTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override IDeadLetterStore CreateStore() => _database.Open();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteTokenStoreTests : TokenStoreContractTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override ITokenStore CreateStore() => _database.Open();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteRunHistoryStoreTests : RunHistoryStoreContractTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override IRunHistoryStore CreateStore() => _database.Open();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteWebhookInboxTests : WebhookInboxContractTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override IWebhookInbox CreateInbox() => _database.Open();
}
