namespace Integrations.Sdk.State;

/// <summary>Stores the cursor of each incremental sync: the point up to which every record is finished.</summary>
public interface ICheckpointStore
{
    /// <summary>Returns the sync's checkpoint, or <see langword="null"/> when it has never advanced.</summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<string?> GetAsync(string sync, CancellationToken cancellationToken = default);

    /// <summary>Stores the sync's checkpoint, replacing the previous one.</summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="checkpoint">The opaque cursor produced by the source.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAsync(string sync, string checkpoint, CancellationToken cancellationToken = default);
}
