using Integrations.Sdk.State;
using Integrations.Sdk.State.InMemory;

namespace Integrations.Sdk.Tests.State;

public sealed class InMemoryStepMemoStoreTests : StepMemoStoreContractTests
{
    protected override IStepMemoStore CreateStore() => new InMemoryStepMemoStore();
}

public sealed class InMemoryCheckpointStoreTests : CheckpointStoreContractTests
{
    protected override ICheckpointStore CreateStore() => new InMemoryCheckpointStore();
}

public sealed class InMemoryDeadLetterStoreTests : DeadLetterStoreContractTests
{
    protected override IDeadLetterStore CreateStore() => new InMemoryDeadLetterStore();
}

public sealed class InMemoryTokenStoreTests : TokenStoreContractTests
{
    protected override ITokenStore CreateStore() => new InMemoryTokenStore();
}

public sealed class InMemoryRunHistoryStoreTests : RunHistoryStoreContractTests
{
    protected override IRunHistoryStore CreateStore() => new InMemoryRunHistoryStore();
}

public sealed class InMemoryWebhookInboxTests : WebhookInboxContractTests
{
    protected override IWebhookInbox CreateInbox() => new InMemoryWebhookInbox();
}
